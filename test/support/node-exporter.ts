// What a node_exporter run with our flags must serve, wherever it runs (natively or in its
// container): exactly the collectors we enable, each succeeding where the kernel allows, and every
// node_exporter metric of our catalog.
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { NODE_EXPORTER_COLLECTORS } from '../../cli/render/host-metrics.js';
import { DATADIR_INFO, hostMetrics } from '../../cli/services/host-metrics.js';
import type { Samples } from './scrape.js';

/**
 * Whether the pressure collector reports success on this host. It needs the kernel's pressure stall
 * information (/proc/pressure, Linux 4.20+ with PSI on); without it the collector fails and serves
 * none. node_exporter 1.9.0 alone also fails it on a kernel without IRQ pressure (/proc/pressure/irq,
 * Linux 6.1+ with CONFIG_IRQ_TIME_ACCOUNTING) after serving cpu, io and memory pressure
 * (prometheus/node_exporter@v1.9.0:collector/pressure_linux.go returns ErrNoData; 1.9.1 fixed it,
 * #3263). Debian trixie ships that 1.9.0.
 */
function pressureSucceeds(version: string | undefined): boolean {
  if (!existsSync('/proc/pressure/cpu')) return false;
  return version !== '1.9.0' || existsSync('/proc/pressure/irq');
}

export function expectOurCollectors(samples: Samples): void {
  const buildInfo = [...samples.keys()].find((k) => k.startsWith('node_exporter_build_info{'));
  const version = buildInfo ? /[{,]version="([^"]*)"/.exec(buildInfo)?.[1] : undefined;
  const successOf = (c: string) => samples.get(`node_scrape_collector_success{collector="${c}"}`);
  for (const c of NODE_EXPORTER_COLLECTORS) expect(successOf(c), c).toBe(c !== 'pressure' || pressureSucceeds(version) ? 1 : 0);
  // Only those: --collector.disable-defaults leaves every other collector out.
  const collectors = [...samples.keys()].filter((k) => k.startsWith('node_scrape_collector_success{')).map((k) => /collector="([^"]+)"/.exec(k)![1]);
  expect(collectors.sort()).toEqual([...NODE_EXPORTER_COLLECTORS].sort());
  const psi = existsSync('/proc/pressure/cpu');
  const names = new Set([...samples.keys()].map((k) => k.replace(/\{.*$/, '')));
  // The stack's textfile, read without error (a file with no datadir in it serves none of its series).
  expect(samples.get('node_textfile_scrape_error')).toBe(0);
  const served = hostMetrics.filter((d) => d.servedBy === 'node-exporter' && d.name !== DATADIR_INFO && (psi || !d.name.startsWith('node_pressure_')));
  for (const def of served) expect(names, def.name).toContain(def.name);
}
