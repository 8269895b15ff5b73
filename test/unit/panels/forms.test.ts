// The incident form's checks say everything that is wrong in one round.
import { strict as assert } from 'node:assert';
import { checkIncidentForm, incidentFormValuesOf } from '../../../src/panels/forms';

const anyCustomer = { customerExists: () => true };

describe('the incident form check', () => {
  it('reports a step dated before the opening together with the other errors', () => {
    const values = {
      ...incidentFormValuesOf({ customerId: 'cus_alice0001', openedAt: '2026-03-02T09:15:00+01:00', channel: 'email', category: 'product' }),
      channel: '',
      extraMileCost: 'a lot',
      acknowledgedAt: '2026-03-01T10:00:00+01:00',
    };
    const check = checkIncidentForm(values, anyCustomer);
    assert.equal(check.ok, false);
    assert.deepEqual(check.ok ? {} : check.errors, { channel: 'required', extraMileCost: 'badAmount', acknowledgedAt: 'beforeOpened' });
  });

  it('accepts the same form once every field is right', () => {
    const values = incidentFormValuesOf({ customerId: 'cus_alice0001', openedAt: '2026-03-02T09:15:00+01:00', channel: 'email', category: 'product', acknowledgedAt: '2026-03-02T10:00:00+01:00' });
    assert.equal(checkIncidentForm(values, anyCustomer).ok, true);
  });

  it('says nothing about the steps while the opening time itself is wrong', () => {
    const values = { ...incidentFormValuesOf({ customerId: 'cus_alice0001', channel: 'email', category: 'product' }), openedAt: 'yesterday', acknowledgedAt: '2026-03-01T10:00:00+01:00' };
    const check = checkIncidentForm(values, anyCustomer);
    assert.deepEqual(check.ok ? {} : check.errors, { openedAt: 'badDateTime' });
  });
});
