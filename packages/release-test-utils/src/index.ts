/**
 * Test utilities shared by the release provider modules (private, not
 * published): the release backend started through the real wiring with a
 * module, and a local HTTP server for fakes of provider APIs.
 *
 * @packageDocumentation
 */

export * from './releaseBackend';
export * from './localServer';
