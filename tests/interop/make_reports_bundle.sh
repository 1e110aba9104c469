#!/bin/sh
# A reports bundle made with the stock tools alone (age, age-keygen, minisign, tar,
# sha256sum and the shell), following shared/FORMATS.md step by step: write the members,
# write the manifest with sha256sum figures, sign it, tar, encrypt, sign the .age.
#
# usage: make_reports_bundle.sh OUT_DIR
# writes into OUT_DIR: intake.pub and intake.key (minisign -G -W), room.key (age-keygen),
# and reports-triage-room-<time>-<id>.tar.age with its .minisig; prints the bundle's path.
set -eu

out=${1:?usage: make_reports_bundle.sh OUT_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# Keys: an unencrypted minisign signing key for the intake system, an age identity for the room.
minisign -G -W -p "$out/intake.pub" -s "$out/intake.key" </dev/null >/dev/null
age-keygen -o "$out/room.key" 2>/dev/null
recipient=$(age-keygen -y "$out/room.key")

# minisign names its key in the public key's comment, without leading zeros: pad to 16.
key_id=$(sed -n '1s/.* //p' "$out/intake.pub")
while [ ${#key_id} -lt 16 ]; do key_id="0$key_id"; done

bundle_id=$(cat /proc/sys/kernel/random/uuid)
report_id=$(cat /proc/sys/kernel/random/uuid)
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# The members: one report a line, and the report's attachment.
mkdir -p "$work/members/attachments/$report_id"
printf '%s\n' "An attachment from the stock-tool sender." >"$work/members/attachments/$report_id/note.txt"
printf '{"report_id": "%s", "reference": "PAC-2026-000001", "channel": "phone", "received_at": "%s", ' \
    "$report_id" "$created" >"$work/members/reports.jsonl"
printf '"reporter": {"anonymous": true}, "subjects": [{"role": "officer", "rank": "PS", "station": "Dover"}], ' \
    >>"$work/members/reports.jsonl"
printf '"behaviours": ["abuse_or_control"], "narrative": "Made with the stock tools: age, minisign, tar.", ' \
    >>"$work/members/reports.jsonl"
printf '"handler_notes": "Caller rang twice.", "attachments": [{"name": "note.txt", "media_type": "text/plain", "path": "note.txt"}]}\n' \
    >>"$work/members/reports.jsonl"

# The manifest: every member but the manifest and its signature, with size and SHA-256.
entry() {
    size=$(($(wc -c <"$work/members/$1")))
    sum=$(sha256sum "$work/members/$1")
    printf '"%s": {"size": %s, "sha256": "%s"}' "$1" "$size" "${sum%% *}"
}
{
    printf '{"format": "hotline-bundle/1", "kind": "reports", "bundle_id": "%s", "created": "%s", ' "$bundle_id" "$created"
    printf '"sender_key_id": "%s", "recipient": "triage-room", "files": {' "$key_id"
    entry reports.jsonl
    printf ', '
    entry "attachments/$report_id/note.txt"
    printf '}}\n'
} >"$work/members/manifest.json"

comment="hotline-bundle/1 kind=reports id=$bundle_id created=$created count=1 to=triage-room"
minisign -S -s "$out/intake.key" -m "$work/members/manifest.json" -t "$comment" </dev/null >/dev/null

# Regular files only, named one by one (no directory entries), then age, then the outer signature.
tar -C "$work/members" -cf "$work/payload.tar" \
    manifest.json manifest.json.minisig reports.jsonl "attachments/$report_id/note.txt"
name="reports-triage-room-$(date -u +%Y%m%dT%H%M%SZ)-${bundle_id%%-*}.tar.age"
age -r "$recipient" -o "$out/$name" "$work/payload.tar"
minisign -S -s "$out/intake.key" -m "$out/$name" -t "$comment" </dev/null >/dev/null
printf '%s\n' "$out/$name"
