/**
 * A minimal structured logger: one line per event, either human text
 * (`time level message key=value ...`) or JSON lines for machines.
 */
export type LogFields = Readonly<Record<string, unknown>>;
export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function createLogger(format: LogFormat, write: (line: string) => void, now: () => Date = () => new Date()): Logger {
  const emit = (level: string, message: string, fields: LogFields = {}): void => {
    const time = now().toISOString();
    write(format === 'json' ? JSON.stringify({ time, level, msg: message, ...fields }) : textLine(time, level, message, fields));
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}

function textLine(time: string, level: string, message: string, fields: LogFields): string {
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${textValue(value)}`);
  return [time, level.padEnd(5), message, ...pairs].join(' ');
}

function textValue(value: unknown): string {
  const text = typeof value === 'string' ? value : Array.isArray(value) ? value.map(String).join(',') : JSON.stringify(value);
  return /[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text;
}
