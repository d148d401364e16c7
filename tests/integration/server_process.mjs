// SPDX-License-Identifier: Apache-2.0
//
// bulwark-server as the Node tests run it (tests/integration/client and tests/integration/oidc):
// on 127.0.0.1 with port 0, a given SQLite file and kickstart; start() resolves with its URL
// once it prints its "listening" line, stop() sends SIGTERM and resolves with the exit.

import { spawn } from 'node:child_process';

export const STARTUP_MS = 30_000;

export class Server {
  constructor(serverPath, kickstartPath, dbPath) {
    this.serverPath = serverPath;
    this.kickstartPath = kickstartPath;
    this.dbPath = dbPath;
    this.stderr = ''; // this run's
    this.log = ''; // every run's
    this.exit = null;
  }

  start() {
    this.stderr = '';
    this.exit = null;
    this.child = spawn(
      this.serverPath,
      ['--db', this.dbPath, '--kickstart', this.kickstartPath, '--listen', '127.0.0.1:0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      this.child.on('error', (error) => {
        this.exit = { code: null, signal: null, error };
        resolve(this.exit);
      });
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
      this.log += chunk;
    });
    return new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => reject(new Error(`no "listening" line within ${STARTUP_MS} ms`)),
        STARTUP_MS,
      );
      this.child.stdout.setEncoding('utf8');
      this.child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /bulwark-server listening on (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          this.url = match[1];
          resolve(this.url);
        }
      });
      this.exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(`bulwark-server exited before listening: ${JSON.stringify(exit)}`));
      });
    });
  }

  // SIGTERM; resolves with the exit ({code, signal}) or rejects after `ms`.
  async stop(ms = 15_000) {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`bulwark-server did not exit within ${ms} ms of SIGTERM`));
      }, ms);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill() {
    if (this.child && !this.exit) this.child.kill('SIGKILL');
  }

  dumpLog() {
    const lines = this.log.trimEnd().split('\n');
    console.log(`--- bulwark-server stderr (last ${Math.min(lines.length, 60)} lines) ---`);
    console.log(lines.slice(-60).join('\n'));
    console.log('---');
  }
}
