// Which USDT probes a binary declares, read from its ELF .note.stapsdt section (what
// `readelf -n BINARY | grep -A4 stapsdt` shows), so the exporter attaches only probes that exist:
// bpftrace refuses a whole program when one of its probes is missing.
import { readFileSync } from 'node:fs';

export interface UsdtProbe {
  provider: string;
  name: string;
  /** Address of the probe's semaphore; 0 when the probe has none. */
  semaphore: bigint;
  /** The argument specs, e.g. `8@%rbx -4@%eax`. */
  args: string;
}

/** `provider:name` of a probe, the form ABI.md and bpftrace use. */
export function probeId(p: { provider: string; name: string }): string {
  return `${p.provider}:${p.name}`;
}

const NT_STAPSDT = 3;

/**
 * The USDT probes a 64-bit little-endian ELF file declares. Throws with a readable message when
 * the file is not such an ELF; returns [] when it simply has no stapsdt notes.
 */
export function readUsdtProbes(file: string): UsdtProbe[] {
  return parseUsdtProbes(readFileSync(file));
}

export function parseUsdtProbes(elf: Buffer): UsdtProbe[] {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  // Only ELFCLASS64 little-endian: the platforms bpftrace's USDT support covers (x86-64, arm64).
  if (elf[4] !== 2 || elf[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const shstrndx = elf.readUInt16LE(0x3e);
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return { name: elf.readUInt32LE(at), offset: Number(elf.readBigUInt64LE(at + 0x18)), size: Number(elf.readBigUInt64LE(at + 0x20)) };
  };
  if (shoff === 0 || shstrndx >= shnum) return [];
  const names = section(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (cString(elf, names.offset + s.name) === '.note.stapsdt') return parseNotes(elf.subarray(s.offset, s.offset + s.size));
  }
  return [];
}

function parseNotes(notes: Buffer): UsdtProbe[] {
  const probes: UsdtProbe[] = [];
  const align4 = (n: number) => (n + 3) & ~3;
  for (let at = 0; at + 12 <= notes.length; ) {
    const namesz = notes.readUInt32LE(at);
    const descsz = notes.readUInt32LE(at + 4);
    const type = notes.readUInt32LE(at + 8);
    const owner = cString(notes, at + 12);
    const desc = at + 12 + align4(namesz);
    if (type === NT_STAPSDT && owner === 'stapsdt') {
      // desc: pc, link-time base of .stapsdt.base, semaphore (3 x 8 bytes), then provider, name, args.
      const semaphore = notes.readBigUInt64LE(desc + 16);
      const provider = cString(notes, desc + 24);
      const name = cString(notes, desc + 24 + provider.length + 1);
      const args = cString(notes, desc + 24 + provider.length + name.length + 2);
      probes.push({ provider, name, semaphore, args });
    }
    at = desc + align4(descsz);
  }
  return probes;
}

function cString(buf: Buffer, at: number): string {
  const end = buf.indexOf(0, at);
  return buf.toString('utf8', at, end < 0 ? buf.length : end);
}
