import { SignalsService } from '@backstage/plugin-signals-node';
import {
  RELEASE_SIGNAL_CHANNEL,
  ReleaseLifecycleEvent,
  ReleaseSignalMessage,
} from '@release-manager/backstage-plugin-release-common';
import { LifecycleListener } from './LifecycleHub';

/**
 * Announces every lifecycle event to open pages through Backstage signals,
 * channel `release:lifecycle`, broadcast. The message names what changed and
 * nothing else (no versions, no people, no secrets): a page that cares reads
 * the new state through the API with its reader's own access.
 */
export class SignalsPublisher implements LifecycleListener {
  readonly name = 'signals publisher';

  constructor(private readonly signals: SignalsService) {}

  async handle(event: ReleaseLifecycleEvent): Promise<void> {
    const message: ReleaseSignalMessage = {
      entityRef: event.entityRef,
      type: event.type,
    };
    if (event.phase) message.phase = event.phase;
    if (event.promotionId) message.promotionId = event.promotionId;
    if (event.trainId) message.trainId = event.trainId;
    await this.signals.publish<ReleaseSignalMessage>({
      recipients: { type: 'broadcast' },
      channel: RELEASE_SIGNAL_CHANNEL,
      message,
    });
  }
}
