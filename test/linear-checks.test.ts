import * as fc from 'fast-check';
import { svcNamesIn } from '../src/internal/rules/dns';

// The DNS rules' scan for *.svc names replaced a backtracking expression (quadratic in a long variable) with one
// pass; on short strings, where the expression is cheap, both must find exactly the same names. Timing: bench/.

const OLD = /[a-z0-9-]+(\.[a-z0-9-]+)*\.svc(\.cluster\.local)?\b/g;

test('finds what the old expression found, on strings built from the pieces that matter', () => {
  const pieces = ['a', 'b', '-', '.', 'svc', 'cluster', 'local', 'A', '_', ' ', '.svc', 'x.svc', '..', '0', 'svcx', 'svc-'];
  fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
    const v = parts.join('');
    expect(svcNamesIn(v)).toEqual(v.match(OLD) ?? []);
  }), { numRuns: 5000 });
});

test('a long value is scanned whole: names at its start and end are found', () => {
  const value = `db.ci.svc ${'a.'.repeat(100_000)}x cache.ci.svc.cluster.local`;
  expect(svcNamesIn(value)).toEqual(['db.ci.svc', 'cache.ci.svc.cluster.local']);
});
