import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { EventType } from './event-types.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module.
const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

/** One failed rule: `path` is a JSON pointer into the payload ("" is the payload itself). */
export interface PayloadProblem {
  path: string;
  message: string;
}

/** A schema an admin may store: under 64 KB of JSON, and one ajv compiles. */
const MAX_SCHEMA_BYTES = 65_536;

function newAjv(): Ajv2020 {
  // allErrors: a producer hears every problem of a payload at once, not one per attempt.
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
  });
  addFormats(ajv);
  return ajv;
}

/** Why `schema` cannot be stored as an event type's payload schema, or undefined when it can. */
export function payloadSchemaProblem(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return 'schema must be a JSON Schema object';
  }
  if (JSON.stringify(schema).length > MAX_SCHEMA_BYTES) {
    return `schema is larger than ${MAX_SCHEMA_BYTES} bytes of JSON`;
  }
  try {
    // A throwaway instance: a rejected schema leaves nothing behind in the cache's ajv.
    newAjv().compile(schema);
    return undefined;
  } catch (err) {
    return `schema does not compile: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Compiled payload validators, one per type and version: compiling costs milliseconds, checking
 * a payload microseconds, so ingest compiles a schema once and reuses it until the type changes.
 */
export class PayloadValidators {
  #ajv = newAjv();
  readonly #compiled = new Map<string, ValidateFunction>();

  /** The payload's problems against its type's schema; empty when it passes or there is none. */
  check(type: EventType, payload: unknown): PayloadProblem[] {
    if (!type.schema) return [];
    const validate = this.#validatorFor(type);
    if (validate(payload)) return [];
    return (validate.errors ?? []).map((e) => ({
      path: e.instancePath,
      message: e.message ?? `fails ${e.keyword}`,
    }));
  }

  #validatorFor(type: EventType): ValidateFunction {
    const key = `${type.name}@${type.version}`;
    let validate = this.#compiled.get(key);
    if (!validate) {
      // Old versions would pile up in ajv's own schema map; start over now and then.
      if (this.#compiled.size >= 1000) {
        this.#compiled.clear();
        this.#ajv = newAjv();
      }
      validate = this.#ajv.compile(type.schema!);
      this.#compiled.set(key, validate);
    }
    return validate;
  }
}
