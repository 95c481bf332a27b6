// Runs `npm ci` when node_modules is missing or older than package-lock.json: `npm ci` always
// wipes node_modules, which would make every Maven build (and the launcher's rebuilds) slow.
import { statSync } from "node:fs";
import { spawnSync } from "node:child_process";

const mtime = (p) => { try { return statSync(p).mtimeMs; } catch { return -1; } };
const installed = mtime("node_modules/.package-lock.json");
if (installed >= 0 && installed >= mtime("package-lock.json")) {
  process.exit(0);
}
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const r = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { stdio: "inherit" });
process.exit(r.status ?? 1);
