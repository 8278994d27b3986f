# The libFuzzer targets: fuzz/<name>_fuzz.cpp, seeds in fuzz/corpus/<name>/.
# Read by fuzz/CMakeLists.txt (the clang build in build/fuzz), by the smoke
# tests of the ASan build (fuzz/smoke_tests.cmake) and by scripts/fuzz
# (which greps the names below, one per line).
set(TRYON_FUZZ_TARGETS
  frame_header
  client_message
  ai_message
  ai_frame
  multipart
  mime_params
  config_url
  redis_url
  reference_url
  bench_url
  http_target
  media_path
  server_config
)
