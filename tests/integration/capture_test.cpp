// Capture end to end: a live session's latest processed frame becomes a
// result served by the results API, with a working image and thumbnail;
// storage and database failures leave nothing half-saved.

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "stack_helpers.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

class Capture : public shared_stack_suite<Capture> {
protected:
  static void SetUpTestSuite() { start_stack({}); }
  void prepare() override {
    user_ = stack_->make_user("cap");
    post_ = stack_->make_post();
    auto r = http_call(stack_->port(), "POST", "/api/try-on/session/create/",
                       {user_.auth(), {"Content-Type", "application/json"}},
                       json{{"nail_post_id", post_}}.dump());
    session_ = json::parse(r.body).value("session_id", "");
    ASSERT_EQ(session_.size(), 36u) << r.body;
  }
  /// Sends capture; the answer (frame_saved or error) as JSON.
  static json capture(ws_client& c) {
    c.send_text(R"({"type":"capture"})");
    while (auto m = c.read(10s)) {
      auto [type, code] = kind_of(*m);
      if (type == "frame_saved" || type == "error")
        return json::parse(m->data);
    }
    return {};
  }
  /// Files under the media root's results/ and .tmp/.
  std::size_t result_files() {
    std::size_t n = 0;
    for (auto* dir : {"results", ".tmp"}) {
      auto p = fs::path(stack_->media_root()) / dir;
      if (fs::exists(p))
        for (auto& e : fs::recursive_directory_iterator(p))
          n += e.is_regular_file() ? 1 : 0;
    }
    return n;
  }
  std::size_t rows() {
    return stack_->db().results.list_results(user_.id, -1, 0).size();
  }
  /// GET a /media URL's path; the body.
  std::string fetch(const std::string& url, std::string* type = nullptr) {
    auto r = http_call(stack_->port(), "GET", url.substr(url.find("/media/")));
    EXPECT_EQ(r.status, 200u) << url;
    if (type)
      *type = r.headers["content-type"];
    return r.body;
  }

  test_user user_;
  std::int64_t post_ = 0;
  std::string session_;
};

} // namespace

TEST_F(Capture, BeforeAnyProcessedFrameThereIsNothingToCapture) {
  auto c = open_ready(*stack_, user_, session_);
  ASSERT_TRUE(c);
  auto answer = capture(*c);
  EXPECT_EQ(answer["type"], "error");
  EXPECT_EQ(answer["code"], "NOTHING_TO_CAPTURE");
  EXPECT_EQ(answer["recoverable"], true);
  EXPECT_EQ(rows(), 0u);
}

TEST_F(Capture, RoundTripToTheResultsApiWithAThumbnail) {
  auto c = open_ready(*stack_, user_, session_);
  ASSERT_TRUE(c);
  auto run = one_frame(*c, 7, 640, 480);
  ASSERT_EQ(run.last, 7);
  auto saved = capture(*c);
  ASSERT_EQ(saved["type"], "frame_saved") << saved.dump();
  auto id = saved["try_on_id"].get<std::int64_t>();
  EXPECT_GT(id, 0);
  EXPECT_TRUE(saved.contains("timestamp"));

  unsigned status = 0;
  auto result =
      get_json(*stack_, "/api/try-on/results/" + std::to_string(id) + "/",
               &user_, &status);
  ASSERT_EQ(status, 200u) << result.dump();
  EXPECT_EQ(result["id"], id);
  EXPECT_EQ(result["session"], session_);
  EXPECT_EQ(result["nail_reference_post"], post_);
  EXPECT_TRUE(result["confidence_score"].is_number());
  EXPECT_EQ(result["metadata"]["sequence"], 7);
  EXPECT_EQ(result["metadata"]["width"], 640);
  EXPECT_EQ(result["metadata"]["height"], 480);
  EXPECT_TRUE(result["metadata"]["captured_at_ms"].is_number());

  std::string type;
  auto image = fetch(result["processed_image"], &type);
  EXPECT_EQ(type, "image/jpeg");
  EXPECT_EQ(image, run.last_image); // exactly what the client was shown
  auto thumb = fetch(result["thumbnail"], &type);
  EXPECT_EQ(type, "image/jpeg");
  EXPECT_EQ(jpeg_dimensions(thumb), std::make_pair(256, 192));
  EXPECT_EQ(result["metadata"]["thumbnail_width"], 256);

  // Listed for its owner only.
  auto list = get_json(*stack_, "/api/try-on/results/", &user_);
  ASSERT_TRUE(list.is_array());
  EXPECT_EQ(list[0]["id"], id);
  auto other = stack_->make_user("other");
  get_json(*stack_, "/api/try-on/results/" + std::to_string(id) + "/", &other,
           &status);
  EXPECT_EQ(status, 404u);
}

TEST_F(Capture, DatabaseFailureLeavesNoFilesAndTheSessionGoesOn) {
  auto c = open_ready(*stack_, user_, session_);
  ASSERT_TRUE(c);
  ASSERT_EQ(one_frame(*c, 1).last, 1);
  auto files_before = result_files();
  stack_->sql("create function tryon_fail_insert() returns trigger "
              "language plpgsql as $$ begin raise exception 'injected'; "
              "end $$");
  stack_->sql("create trigger tryon_fail before insert on tryon_results "
              "for each row execute function tryon_fail_insert()");
  auto answer = capture(*c);
  stack_->sql("drop trigger tryon_fail on tryon_results");
  stack_->sql("drop function tryon_fail_insert()");
  EXPECT_EQ(answer["type"], "error");
  EXPECT_EQ(answer["code"], "PROCESSING_FAILED");
  EXPECT_EQ(rows(), 0u);
  EXPECT_EQ(result_files(), files_before);
  // Recovered: frames flow and the next capture is saved.
  ASSERT_EQ(one_frame(*c, 2).last, 2);
  EXPECT_EQ(capture(*c)["type"], "frame_saved");
  EXPECT_EQ(rows(), 1u);
  EXPECT_EQ(result_files(), files_before + 2);
}

TEST_F(Capture, StorageFailureLeavesNoRowAndNoFiles) {
  auto c = open_ready(*stack_, user_, session_);
  ASSERT_TRUE(c);
  ASSERT_EQ(one_frame(*c, 1).last, 1);
  // A plain file where the session's results directory must go: every
  // write under it fails, as a broken disk would.
  auto blocker = fs::path(stack_->media_root()) / "results" / session_;
  fs::create_directories(blocker.parent_path());
  { std::ofstream{blocker} << "x"; }
  auto files_before = result_files();
  auto answer = capture(*c);
  EXPECT_EQ(answer["type"], "error");
  EXPECT_EQ(answer["code"], "PROCESSING_FAILED");
  EXPECT_NE(answer["message"].get<std::string>().find("store"),
            std::string::npos);
  EXPECT_EQ(rows(), 0u);
  EXPECT_EQ(result_files(), files_before);
  fs::remove(blocker);
  EXPECT_EQ(capture(*c)["type"], "frame_saved");
  EXPECT_EQ(rows(), 1u);
}
