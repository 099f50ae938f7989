// Which bitcoind process is the node this exporter watches. Several bitcoind processes often run
// one binary (mainnet and signet, several nodes on a host), so a node is told by what makes it
// that node, its data folder (its bitcoind.pid, or -datadir and the chain on its command line),
// never by the binary alone; and it is followed across restarts by that, never to another.
import { UserError } from '../core/errors.js';
import { pidFileOf, processAlive, processNode, processesRunning } from './ebpf-target.js';
import { resolve } from 'node:path';

export type Found = { pid: number } | { waiting: string };

interface Identity {
  datadir: string;
  conf?: string;
}

const describe = (id: Identity) => `datadir ${id.datadir}${id.conf ? `, conf ${id.conf}` : ''}`;

export class NodeFinder {
  /** The node, once known: from --datadir, from --pid, or from the one process found at first. */
  private node: Identity | undefined;
  /** --pid, until that process exits; then its node is followed. */
  private pinned: number | undefined;

  constructor(
    private readonly binary: string,
    opts: { datadir?: string; pid?: number },
  ) {
    this.pinned = opts.pid;
    if (opts.datadir !== undefined) this.node = { datadir: resolve(opts.datadir) };
    else if (opts.pid !== undefined) this.node = this.identity(opts.pid);
  }

  /** Where the node is known from, for the log. */
  get nodeDescription(): string {
    return this.node ? describe(this.node) : 'not chosen yet';
  }

  /**
   * The node's process now, or why there is none. When no node is chosen and several processes
   * run the binary, refuses to guess: at start-up (throwOnAmbiguity) with a UserError (exit 2),
   * later by waiting with that reason.
   */
  find(throwOnAmbiguity = false): Found {
    if (this.pinned !== undefined) {
      if (processAlive(this.pinned)) return { pid: this.pinned };
      this.pinned = undefined;
    }
    const { pids, hidden } = processesRunning(this.binary);
    const why = hidden > 0 ? ` (${hidden} processes could not be inspected: run as root, or give CAP_SYS_PTRACE to see other users' processes)` : '';
    if (this.node) {
      const node = this.node;
      // Its pid file names it when bitcoind wrote one (not with -nopid, or while it starts).
      const fromFile = pidFileOf(node.datadir);
      if (fromFile !== undefined && pids.includes(fromFile)) return { pid: fromFile };
      const matching = pids.filter((pid) => {
        const id = this.identity(pid);
        return id !== undefined && id.datadir === node.datadir && (node.conf === undefined || id.conf === node.conf);
      });
      if (matching.length === 1) return { pid: matching[0] };
      if (matching.length > 1) return { waiting: `several processes run ${this.binary} with ${describe(node)} (pids ${matching.join(', ')}) and ${node.datadir}/bitcoind.pid names none of them; give --pid` };
      const others = pids.length > 0 ? `; other nodes run it (pids ${pids.join(', ')}) and are not followed` : '';
      return { waiting: `bitcoind is not running: no process runs ${this.binary} with ${describe(node)}${why}${others}; waiting for it` };
    }
    if (pids.length === 0) return { waiting: `bitcoind is not running: no process runs ${this.binary}${why}; waiting for one` };
    if (pids.length === 1) {
      const id = this.identity(pids[0]);
      if (id) this.node = id;
      return { pid: pids[0] };
    }
    const list = pids.map((pid) => `pid ${pid} (${this.identity(pid) ? describe(this.identity(pid)!) : 'datadir unknown'})`).join(', ');
    const msg = `several bitcoind processes run ${this.binary}: ${list}. Say which node this exporter watches with --datadir (the folder of its bitcoind.pid and debug.log) or --pid.`;
    if (throwOnAmbiguity) throw new UserError(msg);
    return { waiting: `refusing to guess: ${msg}` };
  }

  private identity(pid: number): Identity | undefined {
    try {
      const n = processNode(pid);
      return { datadir: n.datadir, ...(n.conf !== undefined ? { conf: n.conf } : {}) };
    } catch {
      return undefined;
    }
  }
}
