import { setOwn } from './records';

// Renderers are pure functions of models that never change once built, and several checks read the same rendering
// (config.toml's tables are read by the renderers, the rules and the preview): each is worked out once per model.

/**
 * A copy of a plain value: arrays and plain objects are copied (they may be the model's own maps, which stay as they
 * are); anything else is kept as it is. A frozen copy freezes what it copies and keeps a frozen value as it is, so a
 * rendering that holds another one (config.toml's table holds the job pod's) shares it rather than copying it again.
 * (A set of the copies would do the same, but a weak set of every copy of a big fleet makes each garbage collection
 * slower.)
 */
function copyOf<T>(value: T, frozen: boolean): T {
  if (value === null || typeof value !== 'object' || (frozen && Object.isFrozen(value))) return value;
  let copy: object;
  if (Array.isArray(value)) {
    copy = value.map((v) => copyOf(v, frozen));
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const record: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(record, key, copyOf((value as Record<string, unknown>)[key], frozen));
    copy = record;
  }
  return (frozen ? Object.freeze(copy) : copy) as T;
}

/**
 * A copy of a plain value that belongs to its caller (arrays and plain objects copied, unfrozen): what a public method
 * returns must not be a shared rendering.
 */
export function ownCopy<T>(value: T): T {
  return copyOf(value, false);
}

/**
 * The function, worked out once per argument object (held weakly, so a model's renderings go when it goes). Every
 * caller gets the same result, so an object result is a frozen copy: a reader that changed it would throw instead of
 * changing what the others read.
 */
export function oncePerModel<K extends object, V>(render: (model: K) => V): (model: K) => V {
  const done = new WeakMap<K, V>();
  return (model) => {
    if (done.has(model)) return done.get(model)!;
    const value = copyOf(render(model), true);
    done.set(model, value);
    return value;
  };
}

/**
 * The function, worked out once for the same argument in a row (the last one only is kept): for a rendering that
 * consecutive checks of one model read, not worth holding for every model of a big fleet. The result is frozen.
 */
export function onceInARow<K extends object, V>(render: (model: K) => V): (model: K) => V {
  let last: { model: K; value: V } | undefined;
  return (model) => {
    if (last?.model !== model) last = { model, value: copyOf(render(model), true) };
    return last.value;
  };
}
