// The WhiteFire FPGA miner dashboard: per-card hashrate, clock, temperature, voltage, errors,
// solutions and shares, the stale-log check, and the miner logs.
import { matchVars, type DashboardSpec } from '../kit/dashboard-kit.js';
import { exporterRow } from '../kit/shared-panels.js';
import { TEMP_CRITICAL_C, TEMP_WARNING_C } from './rules.js';

const c = matchVars('card');

export const minerDashboard: DashboardSpec = {
  uid: 'fibre-stack-miner',
  title: 'WhiteFire FPGA Miners',
  description: 'WhiteFire FPGA miners, read from their logs: hashrate, health, results, stale logs.',
  tags: ['miner', 'fpga'],
  variables: [{ name: 'card', label: 'Card', metric: 'fpga_miner_hashrate_hashes_per_second', labelName: 'card' }],
  rows: [
    {
      title: 'Overview',
      panels: [
        { kind: 'stat', title: 'Total hashrate', unit: 'Hs', w: 6, h: 5, description: 'Hashrate of the selected cards, summed.', queries: [{ expr: `sum(fpga_miner_hashrate_hashes_per_second{${c}})`, instant: true }] },
        { kind: 'stat', title: 'Hottest card', unit: 'celsius', w: 6, h: 5, description: `Highest FPGA temperature among the selected cards (warning above ${TEMP_WARNING_C} °C, critical above ${TEMP_CRITICAL_C} °C).`, queries: [{ expr: `max(fpga_miner_temperature_celsius{${c}})`, instant: true }], thresholds: [[TEMP_WARNING_C, 'orange'], [TEMP_CRITICAL_C, 'red']] },
        { kind: 'stat', title: 'Stale logs', unit: 'none', w: 6, h: 5, description: 'Cards whose log exists but has stopped growing (the miner has likely hung).', queries: [{ expr: `sum(fpga_miner_log_stale{${c}})`, instant: true }], thresholds: [[1, 'red']] },
        { kind: 'stat', title: 'Good shares', unit: 'short', w: 6, h: 5, description: 'Shares accepted in the selected time range.', queries: [{ expr: `round(sum(increase(fpga_miner_shares_total{${c}, result="good"}[$__range])))`, instant: true }] },
      ],
    },
    {
      title: 'Cards',
      panels: [
        {
          kind: 'timeseries', title: 'Hashrate per card', unit: 'Hs', w: 12, description: 'Hashrate each card reports, with its 6-hour average (the baseline of the hashrate-drop alert).',
          queries: [
            { expr: `fpga_miner_hashrate_hashes_per_second{${c}}`, legend: '{{card}}' },
            { expr: `card:fpga_miner_hashrate_hashes_per_second:avg6h{${c}}`, legend: '{{card}} 6h average' },
          ],
        },
        { kind: 'timeseries', title: 'Temperature', unit: 'celsius', w: 12, description: 'FPGA temperature per card.', queries: [{ expr: `fpga_miner_temperature_celsius{${c}}`, legend: '{{card}}' }] },
        { kind: 'timeseries', title: 'Core voltage', unit: 'volt', description: 'FPGA core voltage per card.', queries: [{ expr: `fpga_miner_voltage_volts{${c}}`, legend: '{{card}}' }] },
        { kind: 'timeseries', title: 'Clock', unit: 'hertz', description: 'FPGA clock per card.', queries: [{ expr: `fpga_miner_clock_hertz{${c}}`, legend: '{{card}}' }] },
        { kind: 'timeseries', title: 'Hardware errors', unit: 'percentunit', description: 'Hardware error rate per card, as the miner reports it.', queries: [{ expr: `fpga_miner_error_ratio{${c}}`, legend: '{{card}}' }] },
      ],
    },
    {
      title: 'Results',
      panels: [
        { kind: 'timeseries', title: 'Shares', unit: 'short', stacked: true, description: 'Shares submitted per interval, by card and result.', queries: [{ expr: `sum by (card, result) (increase(fpga_miner_shares_total{${c}}[$__rate_interval]))`, legend: '{{card}} {{result}}' }] },
        { kind: 'timeseries', title: 'Solutions', unit: 'short', stacked: true, description: 'Solutions found per interval, by card and result.', queries: [{ expr: `sum by (card, result) (increase(fpga_miner_solutions_total{${c}}[$__rate_interval]))`, legend: '{{card}} {{result}}' }] },
        { kind: 'table', title: 'Last stats line', unit: 'dateTimeFromNow', description: 'When each card last printed a stats line.', queries: [{ expr: `max by (card, bitstream) (fpga_miner_last_update_timestamp_seconds{${c}}) * 1000`, instant: true }] },
      ],
    },
    exporterRow('miner'),
    {
      title: 'Logs',
      panels: [
        { kind: 'logs', title: 'Miner logs', w: 24, h: 10, description: 'The miner log of each selected card, as shipped to Loki by the log agent.', expr: '{job="fpga-miner", card=~"$card"}' },
      ],
    },
  ],
};
