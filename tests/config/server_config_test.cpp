#include "config/server_config.hpp"
#include "config/web_root.hpp"

#include <filesystem>
#include <map>

#include <unistd.h>

#include <gtest/gtest.h>

using tryon::config::parse_server_config;

namespace {

struct fake_env {
  std::map<std::string, std::string> vars;
  tryon::config::env_lookup lookup() const {
    return [this](const char* name) -> std::optional<std::string> {
      auto it = vars.find(name);
      if (it == vars.end())
        return std::nullopt;
      return it->second;
    };
  }
};

tryon::config::parse_outcome parse(const fake_env& env,
                                   std::vector<const char*> args = {}) {
  args.insert(args.begin(), "tryon-server");
  return parse_server_config(static_cast<int>(args.size()), args.data(),
                             env.lookup());
}

} // namespace

TEST(ServerConfig, DefaultsMatchTheContract) {
  auto out = parse({});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->session_timeout.count(), 1800);
  EXPECT_EQ(out.config->max_frame_size, 10485760u);
  EXPECT_EQ(out.config->max_upload_size, 10485760u);
  EXPECT_EQ(out.config->ai_service_url, "ws://localhost:8002/ws/tryon");
  EXPECT_EQ(out.config->port, 8000);
  EXPECT_EQ(out.config->client_send_buffer, 256u * 1024);
  EXPECT_EQ(out.config->session_lease_ttl.count(), 3000);
  EXPECT_FALSE(out.config->node_id.empty());
  EXPECT_EQ(out.config->io_threads, 1);
  EXPECT_EQ(out.config->actor_threads, 0); // on the network threads
}

TEST(ServerConfig, ClientSendBufferZeroMeansKernelAutotuning) {
  auto out = parse({{{"TRYON_CLIENT_SEND_BUFFER", "0"}}});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->client_send_buffer, 0u);
  out = parse({}, {"--client-send-buffer", "65536"});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->client_send_buffer, 65536u);
  out = parse({{{"TRYON_CLIENT_SEND_BUFFER", "-1"}}});
  EXPECT_FALSE(out.config);
  EXPECT_EQ(out.exit_code, 2);
}

TEST(ServerConfig, EnvironmentOverridesDefaults) {
  fake_env env{
      {{"TRYON_SESSION_TIMEOUT", "60"},
       {"DATABASE_URL", "postgresql://u@db:5433/x"},
       {"TRYON_ALLOWED_ORIGINS", "https://a.example, https://b.example"},
       {"TRYON_PORT", "9001"}}};
  auto out = parse(env);
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->session_timeout.count(), 60);
  EXPECT_EQ(out.config->database_url, "postgresql://u@db:5433/x");
  EXPECT_EQ(out.config->port, 9001);
  ASSERT_EQ(out.config->allowed_origins.size(), 2u);
  EXPECT_EQ(out.config->allowed_origins[1], "https://b.example");
}

TEST(ServerConfig, FlagsOverrideEnvironment) {
  fake_env env{{{"TRYON_PORT", "9001"}, {"TRYON_MEDIA_ROOT", "/env"}}};
  auto out = parse(env, {"--port", "9002", "--media-root", "/flag"});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->port, 9002);
  EXPECT_EQ(out.config->media_root, "/flag");
}

TEST(ServerConfig, BadEnvironmentValueIsOneLineAndExitTwo) {
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"TRYON_SESSION_TIMEOUT", "abc"},
           {"TRYON_SESSION_TIMEOUT", "0"},
           {"TRYON_MAX_FRAME_SIZE", "12x"},
           {"TRYON_PORT", "70000"},
           {"DATABASE_URL", "not a url"},
           {"TRYON_AI_SERVICE_URL", "http://x/ws"},
           {"TRYON_LOG_LEVEL", "loud"}}) {
    fake_env env{{{name, value}}};
    auto out = parse(env);
    EXPECT_FALSE(out.config) << name << "=" << value;
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_NE(out.message.find(name), std::string::npos) << out.message;
    EXPECT_EQ(out.message.find('\n'), std::string::npos) << out.message;
  }
}

TEST(ServerConfig, BadFlagIsExitTwo) {
  auto out = parse({}, {"--port", "-5"});
  EXPECT_FALSE(out.config);
  EXPECT_EQ(out.exit_code, 2);
  out = parse({}, {"--no-such-flag"});
  EXPECT_FALSE(out.config);
  EXPECT_EQ(out.exit_code, 2);
}

TEST(ServerConfig, HelpIsExitZero) {
  auto out = parse({}, {"--help"});
  EXPECT_FALSE(out.config);
  EXPECT_EQ(out.exit_code, 0);
  EXPECT_NE(out.message.find("TRYON_MAX_FRAME_SIZE"), std::string::npos);
}

TEST(ServerConfig, OriginPolicy) {
  auto out = parse({});
  ASSERT_TRUE(out.config);
  auto& cfg = *out.config;
  EXPECT_TRUE(cfg.origin_allowed("http://127.0.0.1:8000"));
  EXPECT_TRUE(cfg.origin_allowed("http://localhost:8000"));
  EXPECT_FALSE(cfg.origin_allowed("https://evil.example"));
  cfg.allowed_origins = {"https://app.example"};
  EXPECT_TRUE(cfg.origin_allowed("https://app.example"));
  EXPECT_FALSE(cfg.origin_allowed("http://127.0.0.1:8000"));
  cfg.allowed_origins = {"*"};
  EXPECT_TRUE(cfg.origin_allowed("https://evil.example"));
}

TEST(ServerConfig, WebRootDefaultsToTheInstalledOneNextToTheExecutable) {
  namespace fs = std::filesystem;
  auto root = fs::temp_directory_path() /
              ("tryon-webroot-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "usr/bin");
  auto exe = (root / "usr/bin/tryon-server").string();
  // Not installed (no share/tryon-server/web): the checkout's ./web.
  EXPECT_EQ(tryon::config::default_web_root_for(exe), "web");
  fs::create_directories(root / "usr/share/tryon-server/web");
  EXPECT_EQ(tryon::config::default_web_root_for(exe),
            (root / "usr/share/tryon-server/web").string());
  EXPECT_EQ(tryon::config::default_web_root_for(""), "web");
  fs::remove_all(root);
}

TEST(ServerConfig, WebRootSettingWinsOverTheDefault) {
  fake_env env;
  env.vars["TRYON_WEB_ROOT"] = "/srv/web";
  auto out = parse(env);
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->web_root, "/srv/web");
  auto unset = parse({});
  ASSERT_TRUE(unset.config) << unset.message;
  EXPECT_EQ(unset.config->web_root, tryon::config::default_web_root());
  EXPECT_FALSE(unset.config->web_root.empty());
}

TEST(ServerConfig, DatabaseTimeouts) {
  auto out = parse({});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->db_connect_timeout.count(), 5);
  EXPECT_EQ(out.config->db_statement_timeout.count(), 10000);
  out = parse({{{"TRYON_DB_CONNECT_TIMEOUT", "2"},
                {"TRYON_DB_STATEMENT_TIMEOUT_MS", "0"}}});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->db_connect_timeout.count(), 2);
  EXPECT_EQ(out.config->db_statement_timeout.count(), 0);
  out = parse({}, {"--db-statement-timeout-ms", "250"});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->db_statement_timeout.count(), 250);
  out = parse({{{"TRYON_DB_CONNECT_TIMEOUT", "0"}}});
  EXPECT_FALSE(out.config);
  EXPECT_EQ(out.exit_code, 2);
}

TEST(ServerConfig, WebSocketIdleTimeout) {
  auto out = parse({});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->ws_idle_timeout.count(), 60000);
  out = parse({{{"TRYON_WS_IDLE_TIMEOUT_MS", "2000"}}});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->ws_idle_timeout.count(), 2000);
  out = parse({{{"TRYON_WS_IDLE_TIMEOUT_MS", "10"}}});
  EXPECT_FALSE(out.config);
}

TEST(ServerConfig, AiInitAndPingTimeouts) {
  auto out = parse({});
  ASSERT_TRUE(out.config);
  EXPECT_EQ(out.config->ai_init_timeout.count(), 5000);
  EXPECT_EQ(out.config->ai_ping_timeout.count(), 20000);
  out = parse({{{"TRYON_AI_INIT_TIMEOUT_MS", "1500"},
                {"TRYON_AI_PING_TIMEOUT_MS", "4000"}}});
  ASSERT_TRUE(out.config);
  EXPECT_EQ(out.config->ai_init_timeout.count(), 1500);
  EXPECT_EQ(out.config->ai_ping_timeout.count(), 4000);
  out =
      parse({}, {"--ai-init-timeout-ms", "800", "--ai-ping-timeout-ms", "600"});
  ASSERT_TRUE(out.config);
  EXPECT_EQ(out.config->ai_init_timeout.count(), 800);
  EXPECT_EQ(out.config->ai_ping_timeout.count(), 600);
  EXPECT_FALSE(parse({{{"TRYON_AI_INIT_TIMEOUT_MS", "0"}}}).config);
  EXPECT_FALSE(parse({{{"TRYON_AI_PING_TIMEOUT_MS", "50"}}}).config);
}

TEST(ServerConfig, QuotaDefaultsAndOverrides) {
  auto out = parse({});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->sessions_per_minute, 30);
  EXPECT_EQ(out.config->sessions_burst, 60);
  EXPECT_EQ(out.config->captures_burst, 5);
  EXPECT_EQ(out.config->capture_queue, 32);
  EXPECT_EQ(out.config->capture_queue_per_user, 4);
  EXPECT_EQ(out.config->results_page_default, 100);
  EXPECT_EQ(out.config->results_page_max, 500);
  EXPECT_FALSE(out.config->restrict_ops);
  EXPECT_TRUE(out.config->ai_credits);
  out = parse({{{"TRYON_SESSIONS_BURST", "7"}, {"TRYON_AI_CREDITS", "0"}}},
              {"--restrict-ops", "1", "--uploads-per-minute", "0"});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->sessions_burst, 7);
  EXPECT_EQ(out.config->uploads_per_minute, 0);
  EXPECT_TRUE(out.config->restrict_ops);
  EXPECT_FALSE(out.config->ai_credits);
}

TEST(ServerConfig, QuotasMustBeConsistent) {
  // The bytes burst must hold one upload of the largest size.
  auto out = parse({{{"TRYON_UPLOAD_MB_BURST", "1"}}});
  EXPECT_FALSE(out.config);
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.message.find("TRYON_UPLOAD_MB_BURST"), std::string::npos);
  out = parse(
      {{{"TRYON_CAPTURE_QUEUE", "4"}, {"TRYON_CAPTURE_QUEUE_PER_USER", "5"}}});
  EXPECT_FALSE(out.config);
  out = parse({{{"TRYON_RESULTS_PAGE_DEFAULT", "600"}}});
  EXPECT_FALSE(out.config);
}

TEST(ServerConfig, ErrorsNeverPrintAPassword) {
  auto out = parse({{{"DATABASE_URL", "mysql://tryon:s3cret@db:5432/tryon"}}});
  ASSERT_FALSE(out.config);
  EXPECT_EQ(out.message.find("s3cret"), std::string::npos) << out.message;
  EXPECT_NE(out.message.find("DATABASE_URL"), std::string::npos);
  out = parse({}, {"--port", "redis://:hunter2@h:1"});
  ASSERT_FALSE(out.config);
  EXPECT_EQ(out.message.find("hunter2"), std::string::npos) << out.message;
  out = parse({}, {"--redis-url", "ftp://u:hunter2@h:1"});
  ASSERT_FALSE(out.config);
  EXPECT_EQ(out.message.find("hunter2"), std::string::npos) << out.message;
}

TEST(ServerConfig, HelpWarnsThatFlagsAreVisible) {
  auto out = parse({}, {"--help"});
  EXPECT_NE(out.message.find("process list"), std::string::npos) << out.message;
}

TEST(ServerConfig, InternalMediaUrlRewritesOurMediaForTheAi) {
  fake_env env;
  env.vars["TRYON_PUBLIC_URL"] = "https://tryon.example.com/";
  env.vars["TRYON_INTERNAL_MEDIA_URL"] = "file:///srv/tryon/media/";
  auto out = parse(env);
  ASSERT_TRUE(out.config) << out.message;
  const auto& c = *out.config;
  EXPECT_EQ(
      c.reference_for_ai("https://tryon.example.com/media/uploads/7/a%20b.jpg"),
      "file:///srv/tryon/media/uploads/7/a%20b.jpg");
  // Posts hosted elsewhere, and our non-media URLs, pass through.
  EXPECT_EQ(c.reference_for_ai("https://cdn.example.org/media/x.jpg"),
            "https://cdn.example.org/media/x.jpg");
  EXPECT_EQ(c.reference_for_ai("https://tryon.example.com/mediax/y.jpg"),
            "https://tryon.example.com/mediax/y.jpg");

  env.vars["TRYON_INTERNAL_MEDIA_URL"] = "http://10.0.0.5:8000/media";
  auto http = parse(env);
  ASSERT_TRUE(http.config) << http.message;
  EXPECT_EQ(http.config->reference_for_ai(
                "https://tryon.example.com/media/posts/d.jpg"),
            "http://10.0.0.5:8000/media/posts/d.jpg");
}

TEST(ServerConfig, InternalMediaUrlUnsetHandsThePublicUrl) {
  auto out = parse({});
  ASSERT_TRUE(out.config) << out.message;
  EXPECT_EQ(out.config->reference_for_ai("http://127.0.0.1:8000/media/a.jpg"),
            "http://127.0.0.1:8000/media/a.jpg");
}

TEST(ServerConfig, InternalMediaUrlMustBeFetchable) {
  for (const char* bad :
       {"ftp://h/media", "file://relative/dir", "media", "http://h/m?x=1"}) {
    fake_env env;
    env.vars["TRYON_INTERNAL_MEDIA_URL"] = bad;
    auto out = parse(env);
    EXPECT_FALSE(out.config) << bad;
    EXPECT_EQ(out.exit_code, 2) << bad;
    EXPECT_NE(out.message.find("TRYON_INTERNAL_MEDIA_URL"), std::string::npos)
        << out.message;
  }
}

TEST(ServerConfig, ConnectionLimitsAndTimeouts) {
  auto out = parse({});
  ASSERT_TRUE(out.config) << out.message;
  const auto& d = *out.config;
  EXPECT_EQ(d.max_connections, 0u); // derived from the descriptor limit
  EXPECT_EQ(d.max_connections_per_address, 512u);
  EXPECT_TRUE(d.trusted_proxies.empty());
  EXPECT_EQ(d.header_timeout.count(), 10000);
  EXPECT_EQ(d.ws_init_timeout.count(), 10000);
  EXPECT_EQ(d.write_timeout.count(), 15000);
  EXPECT_EQ(d.max_text_message_size, 65536u);
  EXPECT_EQ(d.max_queued_text_bytes, 256u * 1024);
  EXPECT_EQ(d.upload_min_rate, 8192u);

  out = parse({{{"TRYON_MAX_CONNECTIONS", "900"},
                {"TRYON_MAX_CONNECTIONS_PER_ADDRESS", "30"},
                {"TRYON_TRUSTED_PROXIES", "10.0.0.0/8, ::1"},
                {"TRYON_HEADER_TIMEOUT_MS", "2000"},
                {"TRYON_WS_INIT_TIMEOUT_MS", "3000"},
                {"TRYON_WRITE_TIMEOUT_MS", "4000"},
                {"TRYON_MAX_TEXT_MESSAGE_SIZE", "1024"},
                {"TRYON_MAX_QUEUED_TEXT_BYTES", "8192"},
                {"TRYON_UPLOAD_MIN_RATE", "100"}}},
              {"--write-timeout-ms", "5000"});
  ASSERT_TRUE(out.config) << out.message;
  const auto& c = *out.config;
  EXPECT_EQ(c.max_connections, 900u);
  EXPECT_EQ(c.max_connections_per_address, 30u);
  EXPECT_EQ(c.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  EXPECT_EQ(c.header_timeout.count(), 2000);
  EXPECT_EQ(c.ws_init_timeout.count(), 3000);
  EXPECT_EQ(c.write_timeout.count(), 5000); // the flag wins
  EXPECT_EQ(c.max_text_message_size, 1024u);
  EXPECT_EQ(c.max_queued_text_bytes, 8192u);
  EXPECT_EQ(c.upload_min_rate, 100u);
}

TEST(ServerConfig, BadLimitsAreRejected) {
  for (auto [name, value] : std::vector<std::pair<const char*, const char*>>{
           {"TRYON_MAX_CONNECTIONS_PER_ADDRESS", "0"},
           {"TRYON_HEADER_TIMEOUT_MS", "10"},
           {"TRYON_MAX_TEXT_MESSAGE_SIZE", "12"},
           {"TRYON_TRUSTED_PROXIES", "proxy.example"},
           {"TRYON_TRUSTED_PROXIES", "10.0.0.0/40"}}) {
    auto out = parse({{{name, value}}});
    EXPECT_FALSE(out.config) << name << "=" << value;
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_NE(out.message.find(name), std::string::npos) << out.message;
  }
}
