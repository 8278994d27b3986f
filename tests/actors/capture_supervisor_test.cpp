#include "actors/capture_supervisor.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <gtest/gtest.h>

#include "persistence/file_media_store.hpp"
#include "tests/fakes/fake_result_store.hpp"
#include "tests/fakes/temp_dir.hpp"
#include "tests/fakes/test_jpeg.hpp"

using namespace tryon;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

/// A media store whose writes wait until open() (a slow disk).
class gated_media_store final : public persistence::media_store {
public:
  explicit gated_media_store(persistence::media_store& inner) : inner_(inner) {}
  void open() {
    std::lock_guard<std::mutex> guard{mu_};
    open_ = true;
    cv_.notify_all();
  }
  fs::path make_temp_path() override { return inner_.make_temp_path(); }
  void commit(const fs::path& t, const std::string& rel) override {
    inner_.commit(t, rel);
  }
  void write_file(const std::string& rel, std::string_view bytes) override {
    std::unique_lock<std::mutex> lock{mu_};
    cv_.wait(lock, [this] { return open_; });
    inner_.write_file(rel, bytes);
  }
  void remove(const std::string& rel) noexcept override { inner_.remove(rel); }
  std::optional<fs::path> resolve(std::string_view rel) const override {
    return inner_.resolve(rel);
  }
  std::string url_for(const std::string& rel) const override {
    return inner_.url_for(rel);
  }

private:
  persistence::media_store& inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

class CaptureSupervisorTest : public ::testing::Test {
protected:
  CaptureSupervisorTest() { cfg_.set("scheduler.max-threads", 2); }

  actors::ai_result frame(std::int64_t seq) {
    actors::ai_result r;
    r.sequence = seq;
    r.confidence = 0.5;
    r.format = "jpeg";
    r.message = jpeg_;
    return r;
  }

  /// Collects `n` answers (ok ids and failure texts) sent to `self`.
  void collect(caf::scoped_actor& self, int n, std::vector<std::int64_t>& ok,
               std::vector<std::string>& failed) {
    for (int i = 0; i < n; ++i)
      self->receive([&](actors::capture_ok_atom, std::int64_t id,
                        std::int64_t) { ok.push_back(id); },
                    [&](actors::capture_fail_atom, const std::string& why,
                        std::int64_t) { failed.push_back(why); },
                    [&](actors::capture_limited_atom, std::int64_t,
                        std::int64_t) { failed.push_back("limited"); },
                    caf::after(10s) >>
                        [&] { ADD_FAILURE() << "no answer " << i; });
  }

  fakes::temp_dir dir_;
  persistence::file_media_store media_{dir_.path(), ""};
  gated_media_store gated_{media_};
  fakes::fake_result_store results_;
  actors::capture_saver saver_{gated_, results_};
  metrics::node_metrics metrics_;
  std::shared_ptr<const std::string> jpeg_ =
      std::make_shared<const std::string>(std::string(1024, '\0') +
                                          fakes::make_jpeg(320, 240));
  caf::actor_system_config cfg_;
};

} // namespace

TEST_F(CaptureSupervisorTest, FullQueueSaysBusyAndShutdownLosesNothing) {
  caf::actor_system sys{cfg_};
  auto sup = sys.spawn(actors::make_capture_supervisor, &saver_, &metrics_,
                       actors::capture_config{4, 0});
  {
    caf::scoped_actor self{sys};
    for (int i = 1; i <= 6; ++i)
      self->send(sup, actors::capture_req_atom::value,
                 std::string{"0b7e1b8e-8a4c-4c1e-9d55-7b1c2f3a4d5e"},
                 std::int64_t{7}, std::optional<std::int64_t>{}, frame(i),
                 caf::actor{self});
    std::vector<std::int64_t> ok;
    std::vector<std::string> failed;
    collect(self, 2, ok, failed); // the two beyond the bound, at once
    EXPECT_EQ(failed, (std::vector<std::string>{"busy", "busy"}));
    EXPECT_EQ(metrics_.snapshot()["capture"]["queue_depth"], 4);
    // Shutdown with four captures queued: refuses new ones, saves the rest.
    self->send(sup, actors::shutdown_atom::value);
    self->send(sup, actors::capture_req_atom::value, std::string{"x"},
               std::int64_t{7}, std::optional<std::int64_t>{}, frame(7),
               caf::actor{self});
    failed.clear();
    collect(self, 1, ok, failed);
    EXPECT_EQ(failed, std::vector<std::string>{"server shutting down"});
    self->monitor(sup);
    gated_.open();
    failed.clear();
    collect(self, 4, ok, failed);
    EXPECT_EQ(ok.size(), 4u);
    EXPECT_TRUE(failed.empty());
    bool down = false;
    self->receive([&](caf::down_msg&) { down = true; },
                  caf::after(5s) >> [] {});
    EXPECT_TRUE(down);
  }
  EXPECT_EQ(results_.list_results(7, -1, 0).size(), 4u);
  auto capture = metrics_.snapshot()["capture"];
  EXPECT_EQ(capture["queue_depth"], 0);
  EXPECT_EQ(capture["saved"], 4);
  EXPECT_EQ(capture["rejected_busy"], 2);
}

TEST_F(CaptureSupervisorTest, FailuresAreAnsweredAndCounted) {
  gated_.open();
  results_.set_failing(true);
  caf::actor_system sys{cfg_};
  auto sup = sys.spawn(actors::make_capture_supervisor, &saver_, &metrics_,
                       actors::capture_config{});
  caf::scoped_actor self{sys};
  self->send(sup, actors::capture_req_atom::value,
             std::string{"0b7e1b8e-8a4c-4c1e-9d55-7b1c2f3a4d5e"},
             std::int64_t{7}, std::optional<std::int64_t>{3}, frame(1),
             caf::actor{self});
  std::vector<std::int64_t> ok;
  std::vector<std::string> failed;
  collect(self, 1, ok, failed);
  EXPECT_EQ(failed, std::vector<std::string>{"could not save the result"});
  EXPECT_EQ(metrics_.snapshot()["capture"]["failed"], 1);
  self->send_exit(sup, caf::exit_reason::user_shutdown);
}

TEST_F(CaptureSupervisorTest, OneUserHoldsOnlyTheirShareOfTheQueue) {
  caf::actor_system sys{cfg_};
  auto sup = sys.spawn(actors::make_capture_supervisor, &saver_, &metrics_,
                       actors::capture_config{8, 2});
  {
    caf::scoped_actor self{sys};
    auto send = [&](std::int64_t user, std::int64_t seq) {
      self->send(sup, actors::capture_req_atom::value,
                 std::string{"0b7e1b8e-8a4c-4c1e-9d55-7b1c2f3a4d5e"}, user,
                 std::optional<std::int64_t>{}, frame(seq), caf::actor{self});
    };
    // User 7's burst: two queued (the disk is stalled), the rest limited.
    for (int i = 1; i <= 5; ++i)
      send(7, i);
    std::vector<std::int64_t> ok;
    std::vector<std::string> failed;
    collect(self, 3, ok, failed);
    EXPECT_EQ(failed,
              (std::vector<std::string>{"limited", "limited", "limited"}));
    // User 8 still gets a place (not "busy").
    send(8, 1);
    gated_.open();
    failed.clear();
    collect(self, 3, ok, failed);
    EXPECT_EQ(ok.size(), 3u);
    EXPECT_TRUE(failed.empty());
    // Answered captures give the place back.
    send(7, 9);
    collect(self, 1, ok, failed);
    EXPECT_EQ(ok.size(), 4u);
    self->send_exit(sup, caf::exit_reason::user_shutdown);
  }
  EXPECT_EQ(results_.list_results(8, -1, 0).size(), 1u);
}
