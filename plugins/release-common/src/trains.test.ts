import {
  trainMemberReady,
  trainOrder,
  trainOrderBlocker,
  trainRollbackAvailable,
  trainStatusOf,
  trainStopCause,
  TrainCycleError,
} from './trains';

const web = 'component:default/checkout-web';
const cart = 'component:default/cart-api';
const pay = 'component:default/payments-api';

describe('trainOrder', () => {
  it('deploys a member after the members it depends on', () => {
    expect(
      trainOrder([web, cart, pay], { [web]: [cart], [cart]: [pay] }),
    ).toEqual([pay, cart, web]);
  });

  it('ignores dependencies outside the train and breaks ties by entity ref', () => {
    expect(
      trainOrder([web, pay, cart], {
        [web]: ['component:default/elsewhere'],
      }),
    ).toEqual([cart, web, pay]);
    expect(trainOrder([web, cart, pay], { [web]: [pay] })).toEqual([
      cart,
      pay,
      web,
    ]);
  });

  it('refuses a cycle with a typed error naming it', () => {
    expect(() =>
      trainOrder([web, cart, pay], {
        [web]: [cart],
        [cart]: [pay],
        [pay]: [web],
      }),
    ).toThrow(TrainCycleError);
    let error: unknown;
    try {
      trainOrder([web, cart], { [web]: [cart], [cart]: [web] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainCycleError);
    expect((error as TrainCycleError).cycle).toEqual([cart, web, cart]);
    expect((error as Error).message).toContain('cycle');
  });
});

describe('trainStatusOf', () => {
  it.each([
    [['pending_approval', 'pending_approval'], 'pending_approval'],
    [['approved', 'approved'], 'approved'],
    [['queued', 'approved'], 'deploying'],
    [['succeeded', 'approved'], 'deploying'],
    [['succeeded', 'succeeded'], 'succeeded'],
    [['succeeded', 'failed', 'cancelled'], 'failed'],
    [['rejected', 'rejected'], 'rejected'],
    [['cancelled', 'cancelled'], 'cancelled'],
    [['superseded', 'approved'], 'cancelled'],
    [['deploying', 'cancelled'], 'deploying'],
  ] as const)('%j → %s', (statuses, expected) => {
    expect(trainStatusOf(statuses)).toBe(expected);
  });
});

describe('train order gate', () => {
  it('lets a member go only when every earlier one succeeded', () => {
    expect(trainMemberReady(0, ['approved', 'approved'])).toBe(true);
    expect(trainMemberReady(1, ['deploying', 'approved'])).toBe(false);
    expect(trainMemberReady(1, ['succeeded', 'approved'])).toBe(true);
    expect(
      trainOrderBlocker(2, [
        { entityRef: pay, status: 'succeeded' },
        { entityRef: cart, status: 'deploying' },
        { entityRef: web, status: 'approved' },
      ]),
    ).toBe(
      "Waiting for the train's earlier members to succeed: cart-api (deploying)",
    );
    expect(
      trainOrderBlocker(1, [
        { entityRef: pay, status: 'succeeded' },
        { entityRef: cart, status: 'approved' },
      ]),
    ).toBeUndefined();
  });

  it('holds every member while any member still waits for approval', () => {
    expect(
      trainOrderBlocker(0, [
        { entityRef: pay, status: 'approved' },
        { entityRef: cart, status: 'approved' },
        { entityRef: web, status: 'pending_approval' },
      ]),
    ).toBe("Waiting for the train's approval: checkout-web");
  });
});

describe('trainStopCause', () => {
  it('names the first failed member and the members it stops', () => {
    expect(
      trainStopCause([
        { entityRef: pay, status: 'succeeded' },
        { entityRef: cart, status: 'failed', failureReason: 'timeout' },
        { entityRef: web, status: 'approved' },
      ]),
    ).toEqual({
      entityRef: cart,
      reason: 'timeout',
      stops: [web],
      message: 'stopped: cart-api failed: timeout',
    });
    expect(
      trainStopCause([{ entityRef: pay, status: 'succeeded' }]),
    ).toBeUndefined();
  });

  it('offers rollback only of a failed train that deployed something', () => {
    expect(trainRollbackAvailable('failed', ['succeeded', 'failed'])).toBe(
      true,
    );
    expect(trainRollbackAvailable('failed', ['failed', 'cancelled'])).toBe(
      false,
    );
    expect(trainRollbackAvailable('rolled_back', ['succeeded', 'failed'])).toBe(
      false,
    );
  });
});
