// The host: the disks holding the nodes' datadirs first (the operator's usual first outage), then
// memory, CPU, network, the clock, and the stack's containers (cAdvisor, docker mode). Included in
// every generated stack that runs node_exporter.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  buildDashboard, instantQuery, labelVariable, matchVars, queries, rangeQuery, statPanel, tablePanel, tableQuery, thresholdSteps, timeseriesPanel,
} from '../../profiles/kit/dashboard-kit.js';
import { DATADIR_INFO } from './host-metrics.js';
import { MACHINE } from '../../profiles/kit/machine-labels.js';

/** A node_exporter series of each datadir's filesystem, labelled with the node it holds. */
const perDatadir = (expr: string) => `${expr} * on (${MACHINE}, mountpoint) group_right () ${DATADIR_INFO}{${matchVars('node')}}`;

/**
 * node_exporter's target on the machines selected. Its variable is `target`, not `host`: `host` is
 * the fleet machine every dashboard selects first (machine-labels.ts MACHINE_LABELS); nor `instance`,
 * which cAdvisor's panels, from another target, would have to filter on too (lint's
 * target-instance-rule).
 */
const HOST = `${matchVars()}, instance=~"$target"`;
/** cAdvisor's series of the machines selected, each container by its name. */
const CONTAINERS = `${matchVars()}, name!=""`;

export function hostDashboard(): Dashboard {
  return buildDashboard({
    uid: 'fibre-stack-host',
    title: 'fibre-stack Host',
    description: "The host's disks (those holding each node's datadir first), memory, CPU, network and clock from node_exporter, and the stack's containers from cAdvisor.",
    tags: ['host'],
    variables: [labelVariable('target', 'node_exporter', 'node_uname_info', 'instance'), labelVariable('node', 'Node', DATADIR_INFO, 'node')],
    from: 'now-6h',
    rows: [
      {
        title: 'Datadir disks',
        panels: [
          tablePanel('Datadir filesystems', units.BytesIEC, 'Each node\'s datadir, the filesystem holding it, its free space and size.')
            .span(24).height(6)
            .targets(queries(
              tableQuery(perDatadir(`max by (${MACHINE}, mountpoint) (node_filesystem_avail_bytes{${HOST}})`)),
              tableQuery(perDatadir(`max by (${MACHINE}, mountpoint) (node_filesystem_size_bytes{${HOST}})`)),
            )),
          timeseriesPanel('Datadir free space', units.PercentUnit, 'Share of each datadir\'s filesystem still free (to non-root users).')
            .min(0).max(1)
            .targets(queries(rangeQuery(perDatadir(`max by (${MACHINE}, mountpoint) (node_filesystem_avail_bytes{${HOST}} / node_filesystem_size_bytes{${HOST}})`), '{{node}} ({{mountpoint}})'))),
          timeseriesPanel('Datadir free space in 24 h', units.BytesIEC, 'Free space predicted 24 hours ahead at the rate of the last 6 hours; below zero, HostDatadirDiskFillingUp is pending.')
            .targets(queries(rangeQuery(perDatadir(`max by (${MACHINE}, mountpoint) (predict_linear(node_filesystem_avail_bytes{${HOST}}[6h], 24 * 3600))`), '{{node}} ({{mountpoint}})'))),
          timeseriesPanel('Disk I/O', units.BytesPerSecondIEC, 'Bytes read and written per second, by device.')
            .targets(queries(
              rangeQuery(`sum by (${MACHINE}, device) (rate(node_disk_read_bytes_total{${HOST}}[$__rate_interval]))`, 'read {{device}}'),
              rangeQuery(`sum by (${MACHINE}, device) (rate(node_disk_written_bytes_total{${HOST}}[$__rate_interval]))`, 'written {{device}}'),
            )),
          timeseriesPanel('Disk busy', units.PercentUnit, 'Share of time each device was doing I/O.')
            .min(0).max(1)
            .targets(queries(rangeQuery(`sum by (${MACHINE}, device) (rate(node_disk_io_time_seconds_total{${HOST}}[$__rate_interval]))`, '{{device}}'))),
        ],
      },
      {
        title: 'Memory and CPU',
        panels: [
          statPanel('Memory available', units.PercentUnit, 'MemAvailable over MemTotal: below 5%, HostMemoryLow fires.')
            .span(6).height(5).thresholds(thresholdSteps([0, 'red'], [0.05, 'orange'], [0.15, 'green']))
            .targets(queries(instantQuery(`min(node_memory_MemAvailable_bytes{${HOST}} / node_memory_MemTotal_bytes{${HOST}})`))),
          timeseriesPanel('Pressure stall', units.PercentUnit, 'Share of time at least one task waited for memory, I/O or a CPU (Linux PSI "some").')
            .span(18)
            .targets(queries(
              rangeQuery(`avg(rate(node_pressure_memory_waiting_seconds_total{${HOST}}[$__rate_interval]))`, 'memory'),
              rangeQuery(`avg(rate(node_pressure_io_waiting_seconds_total{${HOST}}[$__rate_interval]))`, 'I/O'),
              rangeQuery(`avg(rate(node_pressure_cpu_waiting_seconds_total{${HOST}}[$__rate_interval]))`, 'CPU'),
            )),
          timeseriesPanel('CPU busy', units.PercentUnit, 'Share of CPU time not idle, over all CPUs, by mode.')
            .min(0).max(1)
            .targets(queries(rangeQuery(`sum by (mode) (rate(node_cpu_seconds_total{${HOST}, mode!="idle"}[$__rate_interval])) / scalar(count(node_cpu_seconds_total{${HOST}, mode="idle"}))`, '{{mode}}'))),
          timeseriesPanel('Load', units.Short, 'One-minute load average.')
            .targets(queries(rangeQuery(`node_load1{${HOST}}`, '{{instance}}'))),
        ],
      },
      {
        title: 'Network and clock',
        panels: [
          timeseriesPanel('Network', units.BitsPerSecondSI, 'Bits received and sent per second, by interface (loopback left out).')
            .targets(queries(
              rangeQuery(`sum by (${MACHINE}, device) (rate(node_network_receive_bytes_total{${HOST}, device!="lo"}[$__rate_interval])) * 8`, 'in {{device}}'),
              rangeQuery(`sum by (${MACHINE}, device) (rate(node_network_transmit_bytes_total{${HOST}, device!="lo"}[$__rate_interval])) * 8`, 'out {{device}}'),
            )),
          timeseriesPanel('Clock offset', units.Seconds, 'Offset of the kernel clock from its time source: over 100 ms either way, HostClockOffset fires.')
            .targets(queries(rangeQuery(`node_timex_offset_seconds{${HOST}}`, '{{instance}}'))),
          statPanel('Clock synchronised', units.NoUnit, '1 when the kernel clock is synchronised to a time source (NTP); 0 fires HostClockNotSynchronised after 10 minutes.')
            .span(6).height(5).thresholds(thresholdSteps([0, 'red'], [1, 'green']))
            .targets(queries(instantQuery(`min(node_timex_sync_status{${HOST}})`))),
        ],
      },
      {
        title: 'Containers (docker mode)',
        panels: [
          timeseriesPanel('Container CPU', units.Short, 'CPU cores each container of the stack uses (cAdvisor).')
            .targets(queries(rangeQuery(`sum by (${MACHINE}, name) (rate(container_cpu_usage_seconds_total{${CONTAINERS}}[$__rate_interval]))`, '{{name}}'))),
          timeseriesPanel('Container memory', units.BytesIEC, 'Working set of each container (what the OOM killer weighs).')
            .targets(queries(rangeQuery(`sum by (${MACHINE}, name) (container_memory_working_set_bytes{${CONTAINERS}})`, '{{name}}'))),
          timeseriesPanel('Container restarts', units.Short, 'Restarts per container in the last 15 minutes (its CPU counter starting over); above 2, HostContainerRestarting fires.')
            .targets(queries(rangeQuery(`max by (${MACHINE}, name) (resets(container_cpu_usage_seconds_total{${CONTAINERS}}[15m]))`, '{{name}}'))),
        ],
      },
    ],
  });
}
