-- API tokens are kept as SHA-256 digests (64 lower-case hex digits) of the
-- 40-hex-digit key the client sends: a copy of this table (a backup, a
-- replica, a stray SELECT) no longer hands out working credentials.
-- Lookups hash the presented key and compare digests.
alter table api_tokens drop constraint api_tokens_key_check;
alter table api_tokens rename column key to key_digest;
alter table api_tokens alter column key_digest type varchar(64);
update api_tokens
   set key_digest = encode(sha256(convert_to(key_digest, 'UTF8')), 'hex');
alter table api_tokens add constraint api_tokens_key_digest_check
  check (key_digest ~ '^[0-9a-f]{64}$');
