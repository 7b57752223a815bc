import { isTransactionConflict, isTransientDatabaseError } from './transient-pg-error';

describe(isTransientDatabaseError.name, () => {
  it.each(['40P01', '40001', '55P03'])('takes the conflict %s as transient', (code) => {
    expect(isTransactionConflict({ code })).toBe(true);
    expect(isTransientDatabaseError({ code, message: 'conflict' })).toBe(true);
  });

  it('takes an unreachable Postgres as transient, but not as a conflict', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isTransientDatabaseError(refused)).toBe(true);
    expect(isTransactionConflict(refused)).toBe(false);
    expect(
      isTransientDatabaseError({ code: '57P01', message: 'terminating connection due to administrator command' }),
    ).toBe(true);
  });

  it.each([
    ['a unique violation', { code: '23505', message: 'duplicate key' }],
    ['a plain error', new Error('boom')],
    ['no error at all', null],
    ['a string', '40P01'],
  ])('leaves %s to the job', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
    expect(isTransactionConflict(error)).toBe(false);
  });
});
