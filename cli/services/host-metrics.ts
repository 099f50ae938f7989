// The host's metrics that the host dashboard and alerts read: node_exporter's
// (prometheus/node_exporter@v1.12.1:collector/<collector>.go, names checked against a running
// node_exporter by test/host-node-exporter.test.ts), cAdvisor's
// (google/cadvisor@v0.60.5:lib/metrics/prometheus.go), and the datadir info series node_exporter
// reads from the stack's textfile (cli/render/host-metrics.ts).
import type { MetricDef } from '../../core/catalog.js';

/** The info series of each node's datadir, from the textfile the stack renders for node_exporter (cli/render/host-metrics.ts). */
export const DATADIR_INFO = 'fibre_stack_datadir_filesystem_info';
export const DATADIR_INFO_HELP = "A node's datadir and the mount point of the filesystem holding it, from fibre-stack.yml and this host's mount table; always 1.";

const m = (name: string, type: MetricDef['type'], servedBy: MetricDef['servedBy'], help: string, labels: string[] = [], unit: MetricDef['unit'] = 'none'): MetricDef => ({ name, type, help, labels, unit, servedBy });

const FS = ['device', 'fstype', 'mountpoint'];

export const hostMetrics: MetricDef[] = [
  // filesystem_common.go
  m('node_filesystem_avail_bytes', 'gauge', 'node-exporter', 'Filesystem space available to non-root users.', FS, 'bytes'),
  m('node_filesystem_size_bytes', 'gauge', 'node-exporter', 'Filesystem size.', FS, 'bytes'),
  m('node_filesystem_readonly', 'gauge', 'node-exporter', '1 when the filesystem is mounted read-only.', FS),
  // diskstats_linux.go
  m('node_disk_read_bytes_total', 'counter', 'node-exporter', 'Bytes read from the device.', ['device'], 'bytes'),
  m('node_disk_written_bytes_total', 'counter', 'node-exporter', 'Bytes written to the device.', ['device'], 'bytes'),
  m('node_disk_io_time_seconds_total', 'counter', 'node-exporter', 'Seconds the device spent doing I/O.', ['device'], 'seconds'),
  // meminfo.go: node_memory_<field of /proc/meminfo>_bytes
  m('node_memory_MemAvailable_bytes', 'gauge', 'node-exporter', 'Memory available for new work without swapping (/proc/meminfo MemAvailable).', [], 'bytes'),
  m('node_memory_MemTotal_bytes', 'gauge', 'node-exporter', 'Total usable memory (/proc/meminfo MemTotal).', [], 'bytes'),
  // cpu_linux.go, loadavg.go
  m('node_cpu_seconds_total', 'counter', 'node-exporter', 'Seconds the CPUs spent in each mode.', ['cpu', 'mode'], 'seconds'),
  m('node_load1', 'gauge', 'node-exporter', '1-minute load average.'),
  // netdev_common.go: node_network_<field>_total
  m('node_network_receive_bytes_total', 'counter', 'node-exporter', 'Bytes received by the interface.', ['device'], 'bytes'),
  m('node_network_transmit_bytes_total', 'counter', 'node-exporter', 'Bytes sent by the interface.', ['device'], 'bytes'),
  // pressure_linux.go
  m('node_pressure_memory_waiting_seconds_total', 'counter', 'node-exporter', 'Seconds at least one task waited for memory (PSI some).', [], 'seconds'),
  m('node_pressure_memory_stalled_seconds_total', 'counter', 'node-exporter', 'Seconds all non-idle tasks stalled on memory (PSI full).', [], 'seconds'),
  m('node_pressure_io_waiting_seconds_total', 'counter', 'node-exporter', 'Seconds at least one task waited for I/O (PSI some).', [], 'seconds'),
  m('node_pressure_cpu_waiting_seconds_total', 'counter', 'node-exporter', 'Seconds at least one task waited for a CPU (PSI some).', [], 'seconds'),
  // time.go, timex.go
  m('node_time_seconds', 'gauge', 'node-exporter', 'The host clock, seconds since the epoch.', [], 'timestamp_seconds'),
  m('node_timex_offset_seconds', 'gauge', 'node-exporter', 'Offset between the kernel clock and its time source (adjtimex).', [], 'seconds'),
  m('node_timex_sync_status', 'gauge', 'node-exporter', '1 when the kernel clock is synchronised to a time source.'),
  // uname.go
  m('node_uname_info', 'gauge', 'node-exporter', 'uname(2) of the host; always 1.', ['nodename', 'release', 'machine'], 'info'),
  // cAdvisor
  m('container_cpu_usage_seconds_total', 'counter', 'cadvisor', 'CPU seconds a container used.', ['name', 'image', 'cpu'], 'seconds'),
  m('container_memory_working_set_bytes', 'gauge', 'cadvisor', 'Working set memory of a container.', ['name', 'image'], 'bytes'),
  m('container_start_time_seconds', 'gauge', 'cadvisor', 'When the container was created (kept across restarts).', ['name', 'image'], 'timestamp_seconds'),
  m('container_last_seen', 'gauge', 'cadvisor', 'When cAdvisor last saw the container.', ['name', 'image'], 'timestamp_seconds'),
  m(DATADIR_INFO, 'gauge', 'node-exporter', DATADIR_INFO_HELP, ['profile', 'node', 'datadir', 'mountpoint'], 'info'),
];
