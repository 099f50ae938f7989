// WhiteFire FPGA miner metrics, in base units (ABI.md section 4; the original exported GH/s, MHz, %).
import { metric } from '../../core/catalog.js';
import { exporterSelfMetrics } from '../kit/exporter-self-metrics.js';

const x = 'fibre-stack-exporter' as const;
const cardLabels = ['node', 'card', 'bitstream'] as const;
export const minerMetrics = [
  metric({ name: 'fpga_miner_hashrate_hashes_per_second', type: 'gauge', help: 'Hashrate reported by the miner.', labels: cardLabels, unit: 'hashes_per_second', servedBy: x }),
  metric({ name: 'fpga_miner_clock_hertz', type: 'gauge', help: 'FPGA clock.', labels: cardLabels, unit: 'hertz', servedBy: x }),
  metric({ name: 'fpga_miner_temperature_celsius', type: 'gauge', help: 'FPGA temperature.', labels: cardLabels, unit: 'celsius', servedBy: x }),
  metric({ name: 'fpga_miner_voltage_volts', type: 'gauge', help: 'FPGA core voltage.', labels: cardLabels, unit: 'volts', servedBy: x }),
  metric({ name: 'fpga_miner_error_ratio', type: 'gauge', help: 'Hardware error rate as a ratio (the log prints percent).', labels: cardLabels, unit: 'ratio', servedBy: x }),
  metric({ name: 'fpga_miner_solutions_total', type: 'counter', help: 'Solutions found, by result.', labels: [...cardLabels, 'result'], unit: 'none', servedBy: x }),
  metric({ name: 'fpga_miner_shares_total', type: 'counter', help: 'Shares submitted, by result.', labels: [...cardLabels, 'result'], unit: 'none', servedBy: x }),
  metric({ name: 'fpga_miner_last_update_timestamp_seconds', type: 'gauge', help: 'Unix time of the last stats line read.', labels: cardLabels, unit: 'timestamp_seconds', servedBy: x }),
  metric({ name: 'fpga_miner_log_stale', type: 'gauge', help: '1 while the log file has not grown, or has been missing, for the configured time.', labels: cardLabels, unit: 'none', servedBy: x }),
  ...exporterSelfMetrics,
];
