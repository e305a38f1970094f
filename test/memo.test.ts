import { oncePerModel, ownCopy } from '../src/internal/render/memo';

// Renderings shared by the renderers and the rules: worked out once per model, frozen so no reader can change what the
// others read, without freezing the model's own maps; what a public method returns is the caller's own copy.

test('once per model: the same frozen result for the same model, a new one for another', () => {
  let calls = 0;
  const labels = { team: 'ci' };
  const render = oncePerModel((m: { labels: Record<string, string> }) => {
    calls++;
    return { labels: m.labels, list: [{ a: 1 }] };
  });
  const model = { labels };
  const first = render(model);
  expect(render(model)).toBe(first);
  expect(calls).toBe(1);
  expect(render({ labels })).not.toBe(first);
  expect(calls).toBe(2);
  expect(Object.isFrozen(first) && Object.isFrozen(first.labels) && Object.isFrozen(first.list[0])).toBe(true);
  expect(() => {
    'use strict';
    (first.list[0] as { a: number }).a = 2;
  }).toThrow(TypeError);
  // The model's own map is copied, not frozen.
  expect(first.labels).not.toBe(labels);
  expect(Object.isFrozen(labels)).toBe(false);
});

test('a rendering that holds another shares it instead of copying it again', () => {
  const inner = oncePerModel((m: { n: number }) => ({ n: m.n }));
  const outer = oncePerModel((m: { n: number }) => ({ inner: inner(m) }));
  const model = { n: 1 };
  expect(outer(model).inner).toBe(inner(model));
});

test("the caller's own copy is unfrozen, equal, and keeps class instances and a __proto__ key", () => {
  const shared = oncePerModel((m: { d: Date }) => ({ d: m.d, list: [1, { b: 2 }] }))({ d: new Date(0) });
  const mine = ownCopy(shared);
  expect(mine).toEqual(shared);
  expect(Object.isFrozen(mine) || Object.isFrozen(mine.list) || Object.isFrozen(mine.list[1])).toBe(false);
  expect(mine.d).toBe(shared.d);
  const withProto = ownCopy(JSON.parse('{"__proto__": {"x": 1}, "a": 1}'));
  expect(Object.keys(withProto)).toEqual(['__proto__', 'a']);
  expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype);
});
