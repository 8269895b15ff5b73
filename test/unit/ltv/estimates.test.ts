// The lifetime-value estimates of an open book, version by version (src/ltv/estimates.ts),
// with the real estimator: LtvService without a worker bundle runs the engine in this process.
import * as assert from 'node:assert/strict';
import { LtvEstimates } from '../../../src/ltv/estimates';
import { LtvService } from '../../../src/ltv/ltvService';
import { DEFAULT_LTV_SETTINGS } from '../../../src/domain/ltv/estimate';
import type { LtvBook, LtvInput } from '../../../src/domain/ltv/types';

const service = new LtvService('/nonexistent-dist-folder');

/** Version n of a book: one customer who bought n times, 100 each. */
function versionInput(version: number): LtvInput {
  const purchases = Array.from({ length: version }, (_, i) => ({ customerId: 'cus_ada', date: `2025-0${1 + i}-10`, amount: 100 }));
  return { customerIds: ['cus_ada'], purchases, subscriptions: [], settings: DEFAULT_LTV_SETTINGS, asOf: '2026-01-01' };
}

const historical = (book: LtvBook | undefined): number | undefined => book?.customers.get('cus_ada')?.historicalValue;

interface Harness {
  estimates: LtvEstimates;
  started: number[];
  landed: number[];
  errors: string[];
}

function harness(start?: (version: number, h: Harness) => Promise<LtvBook> | undefined): Harness {
  const started: number[] = [];
  const landed: number[] = [];
  const errors: string[] = [];
  const estimates: LtvEstimates = new LtvEstimates({
    start: (version) => {
      started.push(version);
      return start ? start(version, h) : service.estimate(versionInput(version));
    },
    onEstimate: () => landed.push(estimates.latest!.version),
    onError: (error) => errors.push(error.message),
    delayMs: 5,
  });
  const h: Harness = { estimates, started, landed, errors };
  return h;
}

describe('lifetime-value estimates of an open book', () => {
  after(() => service.dispose());

  it('estimates the requested version a moment later, and whenReady waits for it', async () => {
    const h = harness();
    h.estimates.request(2);
    assert.deepEqual(h.started, [], 'nothing starts on the request itself (the views answer first)');
    await h.estimates.whenReady;
    assert.deepEqual(h.started, [2]);
    assert.deepEqual(h.landed, [2]);
    assert.equal(h.estimates.latest?.version, 2);
    assert.equal(historical(h.estimates.latest?.book), 200, 'the values are those of version 2');
  });

  it('starts one estimate for several changes close together, for the newest version', async () => {
    const h = harness();
    h.estimates.request(1);
    h.estimates.request(2);
    h.estimates.request(3);
    await h.estimates.whenReady;
    assert.deepEqual(h.started, [3]);
    assert.equal(historical(h.estimates.latest?.book), 300);
  });

  it('drops the answer for a version the book has left, and whenReady follows the book to the new one', async () => {
    const h = harness((version, h) => {
      const run = service.estimate(versionInput(version));
      // The book changes while version 1 is being estimated.
      if (version === 1) h.estimates.request(2);
      return run;
    });
    h.estimates.request(1);
    await h.estimates.whenReady;
    assert.deepEqual(h.started, [1, 2]);
    assert.deepEqual(h.landed, [2], 'the estimate of version 1 never showed');
    assert.equal(historical(h.estimates.latest?.book), 200);
  });

  it('keeps the newest estimate while the next version is estimated', async () => {
    const h = harness();
    h.estimates.request(1);
    await h.estimates.whenReady;
    h.estimates.request(2);
    assert.equal(h.estimates.latest?.version, 1, 'the views show the previous values meanwhile');
    await h.estimates.whenReady;
    assert.equal(h.estimates.latest?.version, 2);
  });

  it('does not estimate a version again once it is in, until reset', async () => {
    const h = harness();
    h.estimates.request(1);
    await h.estimates.whenReady;
    h.estimates.request(1);
    await h.estimates.whenReady;
    assert.deepEqual(h.started, [1]);
    h.estimates.reset();
    assert.equal(h.estimates.latest, undefined, 'other settings: the old values are forgotten');
    h.estimates.request(1);
    await h.estimates.whenReady;
    assert.deepEqual(h.started, [1, 1]);
  });

  it('reports a failed estimate, keeps the previous values, and does not try that version again', async () => {
    const h = harness((version) => service.estimate(version === 2 ? { ...versionInput(2), settings: undefined as never } : versionInput(version)));
    h.estimates.request(1);
    await h.estimates.whenReady;
    h.estimates.request(2);
    await h.estimates.whenReady;
    assert.equal(h.errors.length, 1);
    assert.match(h.errors[0], /margin/);
    assert.equal(h.estimates.latest?.version, 1, 'the values of version 1 stay');
    h.estimates.request(2);
    await h.estimates.whenReady;
    assert.deepEqual(h.started, [1, 2]);
    h.estimates.request(3);
    await h.estimates.whenReady;
    assert.deepEqual(h.started, [1, 2, 3], 'the next version is estimated');
    assert.equal(h.estimates.latest?.version, 3);
  });

  it('waits for nothing once there is no book to estimate', async () => {
    const h = harness();
    h.estimates.request(1);
    const ready = h.estimates.whenReady;
    h.estimates.stop();
    await ready;
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(h.started, [], 'the pending estimate never started');
  });

  it('drops an estimate started before a reset (another book)', async () => {
    const h = harness((version, h) => {
      const run = service.estimate(versionInput(version));
      if (h.started.length === 1) h.estimates.reset();
      return run;
    });
    h.estimates.request(1);
    await new Promise((r) => setTimeout(r, 20));
    await h.estimates.whenReady;
    assert.deepEqual(h.landed, []);
    assert.equal(h.estimates.latest, undefined);
  });
});
