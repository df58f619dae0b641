import { EventsService } from '@backstage/plugin-events-node';
import {
  RELEASE_LIFECYCLE_TOPIC,
  ReleaseLifecycleEvent,
} from '@release-manager/backstage-plugin-release-common';
import { LifecycleListener } from './LifecycleHub';

/**
 * Publishes every lifecycle event on Backstage's events service, topic
 * `release.lifecycle`, with the event type and entity in the metadata so
 * subscribers and event routers can filter without reading the payload.
 */
export class EventsPublisher implements LifecycleListener {
  readonly name = 'events publisher';

  constructor(private readonly events: EventsService) {}

  async handle(event: ReleaseLifecycleEvent): Promise<void> {
    await this.events.publish({
      topic: RELEASE_LIFECYCLE_TOPIC,
      eventPayload: event,
      metadata: { type: event.type, entityRef: event.entityRef },
    });
  }
}
