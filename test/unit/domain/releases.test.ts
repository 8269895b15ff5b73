import assert from 'node:assert/strict';
import { releasesFromTags } from '../../../src/domain/releases';

const tags = [
  { name: 'billing-v1.4.0', date: '2026-03-02T09:15:00+01:00' },
  { name: 'billing-v1.5.0', date: '2026-04-10T18:00:00+02:00' },
  { name: 'my-vault-v2.0.0', date: '2026-04-12T10:00:00Z' },
  { name: 'shop-v3.0.0-rc.1', date: '2026-05-01T10:00:00+02:00' },
  { name: 'random-tag', date: '2026-05-02T10:00:00+02:00' },
];

describe('releases from git tags', () => {
  it('reads the component before "-v" and the version after it', () => {
    assert.deepEqual(releasesFromTags(tags, 'billing-v*'), [
      { component: 'billing', version: '1.4.0', date: '2026-03-02' },
      { component: 'billing', version: '1.5.0', date: '2026-04-10' },
    ]);
    assert.deepEqual(
      releasesFromTags(tags, '*-v*').map((r) => `${r.component} ${r.version}`),
      ['billing 1.4.0', 'billing 1.5.0', 'my-vault 2.0.0', 'shop 3.0.0-rc.1'],
    );
  });

  it('takes the day written in the tag date, not the day in another time zone', () => {
    assert.equal(releasesFromTags([{ name: 'app-v1.0.0', date: '2026-03-02T23:30:00-05:00' }], '*-v*')[0].date, '2026-03-02');
  });

  it('understands {component} and {version} placeholders', () => {
    const monorepo = [
      { name: '@shop/billing@1.4.0', date: '2026-03-02T09:15:00+01:00' },
      { name: 'release/search/v2.1', date: '2026-03-03T09:15:00+01:00' },
    ];
    assert.deepEqual(releasesFromTags(monorepo, '{component}@{version}'), [{ component: '@shop/billing', version: '1.4.0', date: '2026-03-02' }]);
    assert.deepEqual(releasesFromTags(monorepo, 'release/{component}/{version}'), [{ component: 'search', version: '2.1', date: '2026-03-03' }]);
    assert.deepEqual(releasesFromTags(monorepo, '@shop/*'), [{ component: '@shop/billing', version: '1.4.0', date: '2026-03-02' }]);
  });

  it('names the component after the literal prefix, or the default component for bare version tags', () => {
    const bare = [
      { name: 'v1.2.0', date: '2026-01-10T10:00:00Z' },
      { name: 'roaster-2.1', date: '2026-01-11T10:00:00Z' },
    ];
    assert.deepEqual(releasesFromTags(bare, 'v*'), []);
    assert.deepEqual(releasesFromTags(bare, 'v*', { defaultComponent: 'app' }), [{ component: 'app', version: '1.2.0', date: '2026-01-10' }]);
    assert.deepEqual(releasesFromTags(bare, 'roaster-*'), [{ component: 'roaster', version: '2.1', date: '2026-01-11' }]);
  });

  it('skips releases already in the file and tags naming the same release twice', () => {
    const twice = [...tags, { name: 'billing-v1.4.0', date: '2026-02-27T09:00:00+01:00' }];
    assert.deepEqual(releasesFromTags(twice, 'billing-v*'), [
      { component: 'billing', version: '1.4.0', date: '2026-02-27' },
      { component: 'billing', version: '1.5.0', date: '2026-04-10' },
    ]);
    assert.deepEqual(releasesFromTags(tags, 'billing-v*', { existing: [{ component: 'billing', version: '1.4.0' }] }), [{ component: 'billing', version: '1.5.0', date: '2026-04-10' }]);
  });

  it('treats pattern text literally apart from its wildcards, and ignores tags without a date', () => {
    assert.deepEqual(releasesFromTags([{ name: 'billingXv1.0', date: '2026-01-01' }], 'billing.v*'), []);
    assert.deepEqual(releasesFromTags([{ name: 'billing-v1.0', date: 'yesterday' }], '*-v*'), []);
  });
});
