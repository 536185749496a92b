#!/usr/bin/env node
// Makes sure Debian's Chromium is present for the dashboard's browser tests.
// Installs it with apt-get when running as root; otherwise explains why not.
// Exits non-zero when it cannot provide Chromium and CI is set, zero otherwise
// (the browser tests then skip with a printed reason).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromiumPath = process.env.SWITCHYARD_CHROMIUM ?? '/usr/bin/chromium';
const inContinuousIntegration = Boolean(process.env.CI);

function finish(problem) {
  if (problem === undefined) {
    console.log(`chromium: ready at ${chromiumPath}`);
    process.exit(0);
  }
  console.error(`chromium: not available (${problem})`);
  process.exit(inContinuousIntegration ? 1 : 0);
}

function run(command, args) {
  console.log(`chromium: running ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) return result.error.message;
  if (result.status !== 0) return `${command} ${args[0]} exited with ${result.status}`;
  return undefined;
}

if (existsSync(chromiumPath)) finish();

if (process.platform !== 'linux') finish(`automatic install only on Linux, this is ${process.platform}`);
if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  finish('not running as root; install it with: sudo apt-get install -y chromium');
}
if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
  finish('apt-get is not available on this system');
}

const updateProblem = run('apt-get', ['update']);
if (updateProblem) finish(updateProblem);
const installProblem = run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
if (installProblem) finish(installProblem);

finish(existsSync(chromiumPath) ? undefined : `installed, but ${chromiumPath} is still missing`);
