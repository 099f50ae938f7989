// WhiteFire miner stats lines shaped as ABI.md section 4's templates, each with its newline.
export const tokenminer = (ghs: number, mhz: number, errPct: number, temp: number, volts: number) =>
  `[12:00:00] GPU0 ${ghs}GH/s (${mhz}MHz) hw ${errPct}% ${temp}C ${volts}V ok 0x1\n`;
export const rb4 = (ghs: number, sol: string, shares: string) => `[12:00:00] RB4 ${ghs}GH/s (600MHz) hw 0.5% 70C 0.9V sol ${sol} shares ${shares}\n`;
export const nimiq = (ghs: number, mhz: number, temp: number, volts: number, errPct: number, sol: string) =>
  `12:00:00 nimiq ${ghs} GH/s at clk ${mhz} MHz ${temp}C ${volts}VX err ${errPct}% sol ${sol} end\n`;
