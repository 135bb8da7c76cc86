interface ZodLike {
  _zod?: { def?: ZodDef };
}
interface ZodDef {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: ZodLike;
  in?: ZodLike;
  valueType?: ZodLike;
  element?: ZodLike;
}

function unwrap(schema: unknown): ZodDef | undefined {
  let def = (schema as ZodLike | undefined)?._zod?.def;
  // optional, default, prefault, nullable, readonly and pipes wrap the schema that holds the keys.
  for (let i = 0; i < 16 && def; i++) {
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) break;
    def = next._zod?.def;
  }
  return def;
}

/**
 * The keys an object schema declares at `path` (a record's values are walked through, so
 * `providers.x.…` and `pipeline.providers.x.…` work), read from the schema itself so that keys added
 * to a schema are known without a second list. Zod 4 schemas only (from any copy of zod: the
 * definition is read structurally); `undefined` for anything else, which then gets no key check.
 */
export function knownKeysAt(schema: unknown, path: readonly string[]): string[] | undefined {
  let def = unwrap(schema);
  for (const part of path) {
    if (!def) return undefined;
    if (def.type === 'object') def = unwrap(def.shape?.[part]);
    else if (def.type === 'record') def = unwrap(def.valueType);
    else if (def.type === 'array') def = unwrap(def.element);
    else return undefined;
  }
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}
