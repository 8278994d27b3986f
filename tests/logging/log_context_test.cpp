#include "logging/log_context.hpp"

#include <memory>
#include <regex>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace logging = tryon::logging;
using nlohmann::json;

namespace {

/// Routes the default logger into a string for the test's life.
class captured_log {
public:
  explicit captured_log(logging::log_format f) {
    previous_ = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("t", sink));
    logging::install(f);
  }
  ~captured_log() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

} // namespace

TEST(LogContextTest, JsonLinesCarryFieldsAndTheRequestId) {
  captured_log log{logging::log_format::json};
  {
    logging::request_scope scope{"req-1"};
    spdlog::info("handler says \"hi\"");
    logging::event(spdlog::level::warn, "http",
                   {{"status", 404}, {"path", "/x"}});
  }
  spdlog::info("outside");
  std::istringstream lines{log.text()};
  std::string line;
  std::vector<json> parsed;
  while (std::getline(lines, line))
    parsed.push_back(json::parse(line));
  ASSERT_EQ(parsed.size(), 3u) << log.text();
  EXPECT_EQ(parsed[0]["msg"], "handler says \"hi\"");
  EXPECT_EQ(parsed[0]["request_id"], "req-1");
  EXPECT_EQ(parsed[0]["level"], "info");
  EXPECT_TRUE(std::regex_match(
      parsed[0]["ts"].get<std::string>(),
      std::regex{R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"}));
  EXPECT_EQ(parsed[1]["level"], "warning");
  EXPECT_EQ(parsed[1]["status"], 404);
  EXPECT_EQ(parsed[1]["path"], "/x");
  EXPECT_EQ(parsed[1]["request_id"], "req-1");
  EXPECT_FALSE(parsed[2].contains("request_id"));
}

TEST(LogContextTest, TextLinesQuoteValuesThatNeedIt) {
  captured_log log{logging::log_format::text};
  logging::request_scope scope{"abc"};
  logging::event(spdlog::level::info, "http",
                 {{"path", "/a b"}, {"status", 200}, {"method", "GET"}});
  auto text = log.text();
  EXPECT_NE(text.find("] [info] http "), std::string::npos) << text;
  EXPECT_NE(text.find(" method=GET"), std::string::npos) << text;
  EXPECT_NE(text.find(" path=\"/a b\""), std::string::npos) << text;
  EXPECT_NE(text.find(" status=200"), std::string::npos) << text;
  EXPECT_NE(text.find(" request_id=abc"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST(LogContextTest, ScopesNestAndNoteTheUser) {
  EXPECT_EQ(logging::current_request_id(), "");
  logging::note_user(7); // no scope: ignored
  logging::request_scope outer{"outer"};
  {
    logging::request_scope inner{"inner"};
    EXPECT_EQ(logging::current_request_id(), "inner");
    logging::note_user(42);
    EXPECT_EQ(inner.user_id(), 42);
  }
  EXPECT_EQ(logging::current_request_id(), "outer");
  EXPECT_FALSE(outer.user_id().has_value());
}

TEST(LogContextTest, OnlySaneRequestIdsAreKept) {
  EXPECT_EQ(logging::sane_request_id("abc"), "abc");
  EXPECT_EQ(logging::sane_request_id("f47ac10b-58cc-4372-a567-0e02b2c3d479"),
            "f47ac10b-58cc-4372-a567-0e02b2c3d479");
  EXPECT_EQ(logging::sane_request_id("a.b_c:d"), "a.b_c:d");
  const std::vector<std::string> bad_ids{
      "", "a b", "a\"b", "a\nb", "x=y", "\xc3\xa9", std::string(129, 'a')};
  for (const auto& bad : bad_ids)
    EXPECT_FALSE(logging::sane_request_id(bad)) << bad;
  EXPECT_EQ(logging::request_id_for("abc"), "abc");
  auto fresh = logging::request_id_for("bad id");
  EXPECT_TRUE(std::regex_match(fresh, std::regex{"[0-9a-f]{16}"})) << fresh;
  EXPECT_NE(logging::make_request_id(), logging::make_request_id());
}

TEST(LogContextTest, FormatNames) {
  EXPECT_EQ(logging::parse_log_format("json"), logging::log_format::json);
  EXPECT_EQ(logging::parse_log_format("text"), logging::log_format::text);
  EXPECT_FALSE(logging::parse_log_format("xml"));
}
