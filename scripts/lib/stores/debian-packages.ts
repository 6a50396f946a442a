// The local stacks run their servers from Debian's packages: installed when missing if we are root,
// otherwise a message says exactly what to install.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { findExecutable, isRoot, run, tryRun } from '../proc.ts';
import { say } from './provisioner.ts';

let aptUpdated = false;
let aptQueue: Promise<void> = Promise.resolve();

/** Installs Debian packages when missing (as root); otherwise says exactly what to install. */
export function ensureDebianPackages(packages: string[], why: string): Promise<void> {
  // Stores start in parallel, but dpkg takes one install at a time.
  const next = aptQueue.then(() => installDebianPackages(packages, why));
  aptQueue = next.catch(() => {});
  return next;
}

async function installDebianPackages(packages: string[], why: string): Promise<void> {
  const missing: string[] = [];
  for (const pkg of packages) {
    const { output } = await tryRun('dpkg-query', ['-W', '-f=${Status}', pkg]);
    if (!output.includes('install ok installed')) missing.push(pkg);
  }
  if (missing.length === 0) return;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`${why} needs the Debian package(s) ${missing.join(' ')}: run  sudo apt-get install -y ${missing.join(' ')}`);
  }
  say(`installing ${missing.join(' ')} (apt-get; first run only)`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    await run('apt-get', ['update', '-qq'], { quiet: true, env });
    aptUpdated = true;
  }
  // policy-rc.d stops the packages from starting their own system-wide services.
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { quiet: true, env });
  } finally {
    if (!hadPolicy) rmSync(policy, { force: true });
  }
}

/** The path of `command`, installing the Debian package that has it when it is not on PATH. */
export async function ensureCommand(command: string, debianPackage: string, why: string): Promise<string> {
  const found = findExecutable(command);
  if (found) return found;
  await ensureDebianPackages([debianPackage], why);
  const installed = findExecutable(command);
  if (!installed) throw new Error(`${debianPackage} is installed but ${command} is not on PATH`);
  return installed;
}
