// tryon-ai: the reference AI service (PROTOCOL.md section 4). See
// docs/ai_service.md.
#include "ai_service/ai_server.hpp"
#include "ai_service/image_codec.hpp"
#include "ai_service/nail_design.hpp"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <fstream>

namespace {

int write_demo_design(const std::string& path) {
  auto jpeg = tryon::ai::encode_jpeg(tryon::ai::make_demo_design(256), 92);
  if (auto* err = std::get_if<tryon::ai::pipeline_error>(&jpeg)) {
    spdlog::error("demo design: {}", err->message);
    return 1;
  }
  const auto& bytes = std::get<std::string>(jpeg);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) {
    spdlog::error("cannot write {}", path);
    return 1;
  }
  spdlog::info("wrote demo design to {} ({} bytes)", path, bytes.size());
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  tryon::ai::service_options opts;
  std::string demo_path;
  std::string log_level = "info";
  CLI::App app{"tryon-ai: reference nail try-on renderer (WebSocket, "
               "PROTOCOL.md section 4)"};
  app.add_option("--listen", opts.listen, "address to listen on")
      ->capture_default_str();
  app.add_option("--port", opts.port, "TCP port (0: any free port)")
      ->capture_default_str();
  app.add_option("--threads", opts.threads, "rendering worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_flag("--passthrough", opts.passthrough,
               "return input frames untouched, confidence 1.0 (measures the "
               "transport alone)");
  app.add_option("--capacity", opts.capacity,
                 "frames taken on at once, told to servers as each "
                 "connection's share (AI credits); -1: --threads; 0: say "
                 "nothing")
      ->capture_default_str()
      ->check(CLI::Range(-1, 4096));
  app.add_option("--delay-ms", opts.delay_ms,
                 "sleep this long per frame (simulates a slow model)")
      ->capture_default_str()
      ->check(CLI::Range(0, 60000));
  app.add_option("--jpeg-quality", opts.jpeg_quality, "output JPEG quality")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--fetch-timeout-ms", opts.fetch_timeout_ms,
                 "timeout for downloading a nail reference")
      ->capture_default_str()
      ->check(CLI::Range(100, 120000));
  app.add_option("--ca-file", opts.ca_file,
                 "PEM file of the CAs trusted for https:// references "
                 "(default: the system's CA store)")
      ->check(CLI::ExistingFile);
  app.add_flag("--hang-init", opts.hang_init,
               "fault injection: read init_session and never answer it "
               "(WebSocket pings are still answered)");
  app.add_flag("--never-answer-frames", opts.never_answer_frames,
               "fault injection: answer init_session, then read frames and "
               "never answer them");
  app.add_option("--write-demo-design", demo_path,
                 "write a 256x256 JPEG demo nail design to FILE and exit");
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error, critical, off")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  spdlog::set_level(spdlog::level::from_str(log_level));
  if (!demo_path.empty())
    return write_demo_design(demo_path);
  return tryon::ai::run_server(opts);
}
