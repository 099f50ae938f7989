// WhiteFire FPGA miner alerts: hashrate, temperature, errors and the stale-log check the
// original exporter lacked.
import type { RuleFileSpec } from '../kit/rule-kit.js';
import { exporterAlerts } from '../kit/exporter-rules.js';
import { minerConfig } from './config.js';

const { sel, job, alertPrefix } = minerConfig;

/** Xilinx UltraScale+ parts are rated to 100 °C junction; warn well before, page close to it. */
export const TEMP_WARNING_C = 80;
export const TEMP_CRITICAL_C = 90;

export const minerRules: RuleFileSpec = {
  title: 'WhiteFire FPGA miners: hashrate, temperature, errors, stale logs',
  groups: [
    {
      name: 'miner-recording',
      rules: [
        // The baseline a hashrate drop is measured against; the dashboard draws it beside the live value.
        // Per series, so per node and card: two rigs' cards of one name keep their own baselines.
        { record: 'card:fpga_miner_hashrate_hashes_per_second:avg6h', expr: `avg_over_time(fpga_miner_hashrate_hashes_per_second{${sel}}[6h])` },
      ],
    },
    {
      name: 'miner-alerts',
      rules: [
        ...exporterAlerts(job, alertPrefix, { probes: false }),
        {
          alert: 'MinerHashrateDrop',
          expr: `fpga_miner_hashrate_hashes_per_second{${sel}} < 0.7 * card:fpga_miner_hashrate_hashes_per_second:avg6h`,
          for: '15m',
          severity: 'warning',
          summary: 'Hashrate of card {{ $labels.card }} on {{ $labels.node }} dropped',
          description: 'Card {{ $labels.card }} ({{ $labels.bitstream }}) hashes at {{ $value | humanize }}H/s, under 70% of its 6-hour average, for 15 minutes.',
        },
        {
          alert: 'MinerTemperatureHigh',
          expr: `fpga_miner_temperature_celsius{${sel}} > ${TEMP_WARNING_C}`,
          for: '10m',
          severity: 'warning',
          summary: 'Card {{ $labels.card }} on {{ $labels.node }} runs hot',
          description: `Card {{ $labels.card }} is at {{ $value }} °C (above ${TEMP_WARNING_C} °C) for 10 minutes. Check airflow and fans.`,
        },
        {
          alert: 'MinerTemperatureCritical',
          expr: `fpga_miner_temperature_celsius{${sel}} > ${TEMP_CRITICAL_C}`,
          for: '2m',
          severity: 'critical',
          summary: 'Card {{ $labels.card }} on {{ $labels.node }} is close to its thermal limit',
          description: `Card {{ $labels.card }} is at {{ $value }} °C (above ${TEMP_CRITICAL_C} °C). Lower the clock or stop the miner before the FPGA is damaged.`,
        },
        {
          alert: 'MinerHardwareErrorsHigh',
          expr: `fpga_miner_error_ratio{${sel}} > 0.05`,
          for: '15m',
          severity: 'warning',
          summary: 'Card {{ $labels.card }} on {{ $labels.node }} reports many hardware errors',
          description: 'Card {{ $labels.card }} reports {{ $value | humanizePercentage }} hardware errors for 15 minutes (threshold 5%). The clock may be too high or the voltage too low.',
        },
        {
          alert: 'MinerLogStale',
          expr: `fpga_miner_log_stale{${sel}} == 1`,
          for: '2m',
          severity: 'critical',
          summary: 'Miner log of card {{ $labels.card }} on {{ $labels.node }} stopped growing',
          description: 'The log of card {{ $labels.card }} has not grown, or has been missing, for longer than the configured stale time: the miner has likely hung, stopped writing or not started.',
        },
      ],
    },
  ],
};
