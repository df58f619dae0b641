import { createCallbackRouter } from './callbacks';

describe('createCallbackRouter', () => {
  // No route of the callback router runs here: the stores are never used.
  const handler = createCallbackRouter({
    dispatch: {} as any,
    promotions: {} as any,
    webhook: {} as any,
    clock: () => new Date(),
    onFinished: async () => {},
  });

  it('hands every other request of the plugin on in the same turn, without entering the router', () => {
    // An Express router that answers none of its layers calls next only
    // after a setImmediate, which every API request would pay.
    const url = '/entities/component/default/svc/pipeline';
    const next = jest.fn();
    handler(
      { method: 'GET', url, originalUrl: url, path: url, headers: {} } as any,
      {} as any,
      next,
    );
    expect(next).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledWith();
  });
});
