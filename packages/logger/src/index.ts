import winston from 'winston';

export type Logger = winston.Logger;

const SECRET_KEYS = /^(secret|secrets|previousSecret|authorization|apiKey|api_key|key|password|token)$/i;

/** Masks values under secret-looking keys, however deep: secrets never reach the log. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    info[key] = SECRET_KEYS.test(key) ? '[redacted]' : redact(info[key]);
  }
  return info;
});

export interface LoggerOptions {
  /** winston level (Default: info). */
  level?: string;
  service: string;
  /** Where lines go (Default: stdout). Tests pass a stream to read them back. */
  stream?: NodeJS.WritableStream;
}

/** JSON lines, one per entry, secrets redacted. */
export function createLogger(options: LoggerOptions): Logger {
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: { service: options.service },
    format: winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json()),
    transports: [
      options.stream
        ? new winston.transports.Stream({ stream: options.stream })
        : new winston.transports.Console(),
    ],
  });
}
