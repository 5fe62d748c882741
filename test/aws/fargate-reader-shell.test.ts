import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initScript, fileEnvName } from '../../lib/aws/fargate-reader-containers';
import { ownershipFixCommand, readerInstance, ReaderInstance, readyWaitCommand, synthesizeSplit } from '../../lib/core';
import { delegatingSplit } from './fargate-reader-support';

// The two shell scripts the Fargate task runs, run for real with this machine's `sh` and `wget`
// (GNU wget here; the task runs busybox's, which takes the same -q -T -O flags).

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const instance = readerInstance(synthesizeSplit(delegatingSplit()), 'ecs-fargate');
/** No proxy between the script and 127.0.0.1. */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/_proxy$/i.test(name)));

/** A server on a free loopback port that answers 503 `failures` times, then 200 (never, when Infinity). */
async function readiness(failures: number): Promise<{ server: Server; port: number; answers: number[] }> {
  const answers: number[] = [];
  const server = createServer((request, response) => {
    const status = request.url === '/v1/ready' && answers.length >= failures ? 200 : 503;
    answers.push(status);
    response.writeHead(status).end(status === 200 ? 'ready' : 'not ready');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, answers };
}

/** Runs `sh -c script` without blocking the server, with its exit code and stderr. */
function sh(script: string, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { env: { ...env, ...extraEnv } });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The core's wait command for a reader whose HTTP port is the test server's. */
const waitScript = (port: number, timeoutSeconds: number) => {
  const atPort: ReaderInstance = { ...instance, ports: { ...instance.ports, http: port } };
  const [shell, flag, script] = readyWaitCommand(atPort, timeoutSeconds);
  expect([shell, flag]).toEqual(['sh', '-c']);
  expect(script).toContain(`http://127.0.0.1:${port}/v1/ready`);
  return script;
};

describe.runIf(has('wget'))("the wait container's script (readyWaitCommand)", () => {
  it('exits 0 only once the reader answers 200, after its 503s', async () => {
    const { server, port, answers } = await readiness(3);
    try {
      const { code } = await sh(waitScript(port, 60));
      expect(code).toBe(0);
      expect(answers).toEqual([503, 503, 503, 200]);
    } finally {
      server.close();
    }
  }, 30_000);

  it('exits 1 after its timeout against a reader that stays unready', async () => {
    const { server, port, answers } = await readiness(Infinity);
    try {
      const started = Date.now();
      const { code, stderr } = await sh(waitScript(port, 6));
      expect(code).toBe(1);
      expect(stderr).toContain('spiced not ready after 6s');
      // It gives up at its deadline (whole seconds by `date +%s`), not after a count of tries.
      expect(answers.every((status) => status === 503)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      server.close();
    }
  }, 30_000);
});

describe.runIf(process.getuid?.() === 0)("the init container's script", () => {
  it('writes each file exactly, readable, and hands the writable directories to nobody', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rws-init-'));
    const at = (path: string) => join(root, path);
    // The same instance with its directories moved under a temporary root.
    const moved: ReaderInstance = {
      ...instance,
      files: instance.files.map((file) => ({ ...file, dir: at(file.dir) })),
      writableDirs: instance.writableDirs.map((dir) => ({ ...dir, path: at(dir.path) })),
    };
    for (const dir of [...moved.files.map((f) => f.dir), ...moved.writableDirs.map((d) => d.path)]) mkdirSync(dir, { recursive: true });
    const variables = Object.fromEntries(moved.files.map((file) => [fileEnvName(file), file.content]));
    const { code, stderr } = await sh(initScript(moved, ownershipFixCommand(moved)), variables);
    expect(code, stderr).toBe(0);
    const spicepod = moved.files[0];
    expect(readFileSync(join(spicepod.dir, spicepod.name), 'utf8')).toBe(instance.spicepodYaml);
    expect(statSync(join(spicepod.dir, spicepod.name)).mode & 0o777).toBe(0o444);
    for (const dir of moved.writableDirs) {
      const stat = statSync(dir.path);
      expect([stat.uid, stat.gid, stat.mode & 0o777]).toEqual([65534, 65534, 0o700]);
    }
  });
});
