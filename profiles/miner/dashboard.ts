// The WhiteFire FPGA miner dashboard: per-card hashrate, clock, temperature, voltage, errors,
// solutions and shares, the stale-log check, and the miner logs.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  buildDashboard, instantQuery, labelVariable, logQuery, logsPanel, matchVars, queries, rangeQuery, stacked, statPanel, tablePanel, tableQuery,
  thresholdSteps, timeseriesPanel,
} from '../kit/dashboard-kit.js';
import { exporterRow } from '../kit/shared-panels.js';
import { TEMP_CRITICAL_C, TEMP_WARNING_C } from './rules.js';
import { MACHINE } from '../kit/machine-labels.js';

// Cards are named per rig (node): two rigs may both have a `left`, so series are told by both.
const c = matchVars('node', 'card');

export function minerDashboard(): Dashboard {
  return buildDashboard({
    uid: 'fibre-stack-miner',
    title: 'WhiteFire FPGA Miners',
    description: 'WhiteFire FPGA miners, read from their logs: hashrate, health, results, stale logs.',
    tags: ['miner', 'fpga'],
    variables: [
      labelVariable('node', 'Rig', 'fpga_miner_hashrate_hashes_per_second', 'node'),
      labelVariable('card', 'Card', 'fpga_miner_hashrate_hashes_per_second', 'card', 'node'),
    ],
    rows: [
      {
        title: 'Overview',
        panels: [
          statPanel('Total hashrate', units.HashesPerSecond, 'Hashrate of the selected cards, summed.')
            .span(6).height(5)
            .targets(queries(instantQuery(`sum(fpga_miner_hashrate_hashes_per_second{${c}})`))),
          statPanel('Hottest card', units.Celsius, `Highest FPGA temperature among the selected cards (warning above ${TEMP_WARNING_C} °C, critical above ${TEMP_CRITICAL_C} °C).`)
            .span(6).height(5).thresholds(thresholdSteps([TEMP_WARNING_C, 'orange'], [TEMP_CRITICAL_C, 'red']))
            .targets(queries(instantQuery(`max(fpga_miner_temperature_celsius{${c}})`))),
          statPanel('Stale logs', units.NoUnit, 'Cards whose log exists but has stopped growing (the miner has likely hung).')
            .span(6).height(5).thresholds(thresholdSteps([1, 'red']))
            .targets(queries(instantQuery(`sum(fpga_miner_log_stale{${c}})`))),
          statPanel('Good shares', units.Short, 'Shares accepted in the selected time range.')
            .span(6).height(5)
            .targets(queries(instantQuery(`round(sum(increase(fpga_miner_shares_total{${c}, result="good"}[$__range])))`))),
        ],
      },
      {
        title: 'Cards',
        panels: [
          timeseriesPanel('Hashrate per card', units.HashesPerSecond, 'Hashrate each card reports, with its 6-hour average (the baseline of the hashrate-drop alert).')
            .span(12)
            .targets(queries(
              rangeQuery(`fpga_miner_hashrate_hashes_per_second{${c}}`, '{{node}} {{card}}'),
              rangeQuery(`card:fpga_miner_hashrate_hashes_per_second:avg6h{${c}}`, '{{node}} {{card}} 6h average'),
            )),
          timeseriesPanel('Temperature', units.Celsius, 'FPGA temperature per card.')
            .span(12)
            .targets(queries(rangeQuery(`fpga_miner_temperature_celsius{${c}}`, '{{node}} {{card}}'))),
          timeseriesPanel('Core voltage', units.Volt, 'FPGA core voltage per card.')
            .targets(queries(rangeQuery(`fpga_miner_voltage_volts{${c}}`, '{{node}} {{card}}'))),
          timeseriesPanel('Clock', units.Hertz, 'FPGA clock per card.')
            .targets(queries(rangeQuery(`fpga_miner_clock_hertz{${c}}`, '{{node}} {{card}}'))),
          timeseriesPanel('Hardware errors', units.PercentUnit, 'Hardware error rate per card, as the miner reports it.')
            .targets(queries(rangeQuery(`fpga_miner_error_ratio{${c}}`, '{{node}} {{card}}'))),
        ],
      },
      {
        title: 'Results',
        panels: [
          stacked(timeseriesPanel('Shares', units.Short, 'Shares submitted per interval, by card and result.'))
            .targets(queries(rangeQuery(`sum by (${MACHINE}, node, card, result) (increase(fpga_miner_shares_total{${c}}[$__rate_interval]))`, '{{node}} {{card}} {{result}}'))),
          stacked(timeseriesPanel('Solutions', units.Short, 'Solutions found per interval, by card and result.'))
            .targets(queries(rangeQuery(`sum by (${MACHINE}, node, card, result) (increase(fpga_miner_solutions_total{${c}}[$__rate_interval]))`, '{{node}} {{card}} {{result}}'))),
          tablePanel('Last stats line', units.DateTimeFromNow, 'When each card last printed a stats line.')
            .targets(queries(tableQuery(`max by (${MACHINE}, node, card, bitstream) (fpga_miner_last_update_timestamp_seconds{${c}}) * 1000`))),
        ],
      },
      exporterRow('miner'),
      {
        title: 'Logs',
        panels: [
          logsPanel('Miner logs', 'The miner log of each selected card, as shipped to Loki by the log agent.')
            .targets(queries(logQuery(`{job="fpga-miner", ${c}}`))),
        ],
      },
    ],
  });
}
