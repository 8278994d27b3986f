#include "config/server_config.hpp"

#include <map>

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
