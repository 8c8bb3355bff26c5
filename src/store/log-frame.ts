/**
 * The framing of objects.log, which tells a whole record from one cut off by a crash.
 * A frame is a header line `TWL1 <payload bytes> <crc32 hex>\n`, the payload, and '\n'.
 * The payload is one or more JSON records, one per line (JSON never holds a raw newline).
 * One frame is what one append writes before one fsync, so a crash can only ever cut the
 * last frame, and a group commit's records stand or fall together.
 */
import { crc32 } from 'node:zlib';

const MAGIC = 'TWL1 ';
const HEADER = /^TWL1 (0|[1-9]\d{0,9}) ([0-9a-f]{8})\n$/;
const MAX_HEADER_BYTES = MAGIC.length + 10 + 1 + 8 + 1;
const NEWLINE = 0x0a;
/** Where a frame can begin after the first: right after the newline ending the frame before. */
const FRAME_START = Buffer.from(`\n${MAGIC}`, 'latin1');

export interface Frame {
  /** Byte offset of the header in the file. */
  readonly offset: number;
  /** Header, payload and final newline. */
  readonly size: number;
  /** The payload's lines: one JSON record each. */
  readonly records: readonly string[];
}

export interface LogScan {
  /** The whole frames from the start of the file, in order. */
  readonly frames: readonly Frame[];
  /** Where the whole frames end. */
  readonly end: number;
  /** A bad last frame with nothing whole after it: an append cut off by a crash, never acknowledged. */
  readonly torn?: { readonly offset: number; readonly size: number; readonly problem: string };
  /** Bad bytes with whole frames after them, or bytes that no append could have left. */
  readonly corrupt?: { readonly offset: number; readonly problem: string };
}

export function encodeFrame(records: readonly string[]): Buffer {
  if (records.length === 0 || records.some((record) => record.includes('\n'))) {
    throw new TypeError('a frame holds one or more single-line records');
  }
  const payload = Buffer.from(records.join('\n'), 'utf8');
  const header = `${MAGIC}${payload.length} ${crc32(payload).toString(16).padStart(8, '0')}\n`;
  return Buffer.concat([Buffer.from(header, 'latin1'), payload, Buffer.of(NEWLINE)]);
}

/** Splits a log into whole frames and says what, if anything, follows them. */
export function scanLog(bytes: Buffer): LogScan {
  const frames: Frame[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const frame = readFrame(bytes, offset);
    if (typeof frame === 'string') return { frames, end: offset, ...judgeBadFrame(bytes, offset, frame) };
    frames.push(frame);
    offset += frame.size;
  }
  return { frames, end: offset };
}

/** The frame at `offset`, or what is wrong with it. */
function readFrame(bytes: Buffer, offset: number): Frame | string {
  const newline = bytes.indexOf(NEWLINE, offset);
  if (newline === -1 && bytes.length - offset < MAX_HEADER_BYTES) return 'the record header is cut off';
  if (newline === -1 || newline - offset >= MAX_HEADER_BYTES) return 'no record header here';
  const header = HEADER.exec(bytes.toString('latin1', offset, newline + 1));
  if (!header) return 'no record header here';
  const start = newline + 1;
  const length = Number(header[1]);
  const end = start + length + 1;
  if (end > bytes.length) return `the record is cut off (${bytes.length - start} of ${length + 1} bytes)`;
  const payload = bytes.subarray(start, start + length);
  if (crc32(payload) !== Number.parseInt(header[2] ?? '', 16)) return 'the checksum does not match the record';
  if (bytes[end - 1] !== NEWLINE) return 'the record does not end in a newline';
  return { offset, size: end - offset, records: payload.toString('utf8').split('\n') };
}

/**
 * A bad frame is a torn tail only when nothing whole follows it and it begins the way an
 * append begins: with (part of) the magic, or with the zeros of blocks the file system
 * allotted but never wrote. Anything else was not left by a crash, and is not dropped.
 */
function judgeBadFrame(bytes: Buffer, offset: number, problem: string): Pick<LogScan, 'torn' | 'corrupt'> {
  for (let at = bytes.indexOf(FRAME_START, offset); at !== -1; at = bytes.indexOf(FRAME_START, at + 1)) {
    if (typeof readFrame(bytes, at + 1) !== 'string') {
      return { corrupt: { offset, problem: `${problem}, and whole records follow it (at byte ${at + 1})` } };
    }
  }
  const start = bytes.toString('latin1', offset, offset + MAGIC.length);
  if (!MAGIC.startsWith(start) && bytes[offset] !== 0) {
    return { corrupt: { offset, problem: `${problem}, and these bytes are not the start of a record cut off by a crash` } };
  }
  return { torn: { offset, size: bytes.length - offset, problem } };
}
