/** The length in seconds of base64 WAV audio, read from its RIFF header; 0 when the header cannot be read. */

/** Enough of the file for the header chunks (fmt, LIST, data). */
const headerBase64Chars = 8192;

export function wavSeconds(base64: string): number {
  const header = Buffer.from(base64.slice(0, headerBase64Chars), 'base64');
  if (header.length < 12 || header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') return 0;
  let byteRate = 0;
  let offset = 12;
  while (offset + 8 <= header.length) {
    const id = header.toString('ascii', offset, offset + 4);
    const size = header.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 16 <= header.length) byteRate = header.readUInt32LE(offset + 16);
    if (id === 'data') {
      if (byteRate === 0) return 0;
      const declared = size === 0 || size === 0xffffffff ? Math.floor((base64.length * 3) / 4) - offset - 8 : size;
      return declared / byteRate;
    }
    offset += 8 + size + (size % 2);
  }
  return 0;
}
