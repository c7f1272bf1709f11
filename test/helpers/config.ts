import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

/** The original tool's config.toml, all five sections with its keys and realistic values. */
export function originalConfigText(dir: string): string {
  return `[onedrive]
redirect_uri    = "https://backup.example.com:8000/code"
client_id       = "11111111-2222-3333-4444-555555555555"
client_secret   = "s3cr3t-client-value~xyz"
scope           = "offline_access Files.Read Files.Read.All Files.ReadWrite Files.ReadWrite.All"
tokens_path     = "${dir}/tokens.json"
delta_link_path = "${dir}/delta_link.json"

[aws]
access_key_id     = "AKIAEXAMPLEEXAMPLE12"
secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
region            = "eu-north-1"
bucket            = "my-backup-bucket"

[mail]
api_key           = "SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
from              = "MyGrid <backup@example.com>"
to                = "Me <me@example.com>"

[web_server]
bind_address      = "0.0.0.0"
bind_port         = 8000 # or what you like
tls_private_key   = "${dir}/privkey.pem"
tls_chain_cert    = "${dir}/fullchain.pem"

[general]
sync_time         = "01:00:00"     # When to start sync process.
log_path          = "${dir}/cloud_sync.log"
`;
}

/** Writes config.toml into a fresh temp dir; returns the dir and file. */
export function writeConfig(text: string | ((dir: string) => string)): {
  dir: string;
  file: string;
} {
  const dir = tempDir('config');
  const file = join(dir, 'config.toml');
  writeFileSync(file, typeof text === 'function' ? text(dir) : text);
  return { dir, file };
}

/** A minimal valid config for a local run; `extra` is appended TOML. */
export function minimalConfigText(dir: string, extra = ''): string {
  return `[onedrive]
client_id = "test-client"
tokens_path = "${dir}/tokens.json"

[aws]
bucket = "b"
${extra}`;
}
