// The lease contract, run against both stores: the in-process one and the
// Redis one (real server at TRYON_TEST_REDIS_URL) must be interchangeable.

#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "persistence/memory_lease_store.hpp"
#include "persistence/redis_lease_store.hpp"
#include "persistence/redis_subscriber.hpp"
#include "persistence/store_error.hpp"
#include "real_parts.hpp"

using namespace tryon::persistence;
using namespace std::chrono_literals;
using ids = std::vector<std::string>;

namespace {

struct memory_maker {
  static std::unique_ptr<session_lease_store> make() {
    return std::make_unique<memory_lease_store>();
  }
};

struct redis_maker {
  static std::unique_ptr<session_lease_store> make() {
    const char* url = std::getenv("TRYON_TEST_REDIS_URL");
    if (!url || !*url)
      return nullptr;
    return std::make_unique<redis_lease_store>(url);
  }
};

template <class Maker>
class LeaseStoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    store = Maker::make();
    TRYON_REQUIRE_REAL_PART(store != nullptr,
                            "Redis (TRYON_TEST_REDIS_URL is not set)");
    // Unique ids: the Redis server is shared with other tests.
    std::random_device rd;
    prefix = "lease-test-" + std::to_string(rd()) + "-";
  }
  std::string id(const char* name) const { return prefix + name; }

  std::unique_ptr<session_lease_store> store;
  std::string prefix;
};

using makers = ::testing::Types<memory_maker, redis_maker>;
TYPED_TEST_SUITE(LeaseStoreTest, makers);

} // namespace

TYPED_TEST(LeaseStoreTest, FirstAcquireFindsNoOwner) {
  auto s = this->id("a");
  EXPECT_EQ(this->store->acquire(s, "node-1", 5s), std::nullopt);
  EXPECT_EQ(this->store->owner(s), "node-1");
}

TYPED_TEST(LeaseStoreTest, NewerAcquireTakesOverAndNamesTheOldOwner) {
  auto s = this->id("b");
  this->store->acquire(s, "node-1", 5s);
  EXPECT_EQ(this->store->acquire(s, "node-2", 5s), "node-1");
  EXPECT_EQ(this->store->owner(s), "node-2");
  // The same node again (a reconnect to the same node) names itself.
  EXPECT_EQ(this->store->acquire(s, "node-2", 5s), "node-2");
}

TYPED_TEST(LeaseStoreTest, RenewReportsOnlySessionsTakenByOthers) {
  auto kept = this->id("kept"), taken = this->id("taken");
  auto lapsed = this->id("lapsed");
  this->store->acquire(kept, "node-1", 5s);
  this->store->acquire(taken, "node-1", 5s);
  this->store->acquire(taken, "node-2", 5s);
  // `lapsed` was never (or no longer) held: renewing takes it back.
  auto moved = this->store->renew({kept, taken, lapsed}, "node-1", 5s);
  EXPECT_EQ(moved, ids{taken});
  EXPECT_EQ(this->store->owner(kept), "node-1");
  EXPECT_EQ(this->store->owner(taken), "node-2");
  EXPECT_EQ(this->store->owner(lapsed), "node-1");
  EXPECT_TRUE(this->store->renew({}, "node-1", 5s).empty());
}

TYPED_TEST(LeaseStoreTest, LeaseExpiresUnlessRenewed) {
  auto s = this->id("c"), r = this->id("d");
  this->store->acquire(s, "node-1", 300ms);
  this->store->acquire(r, "node-1", 300ms);
  std::this_thread::sleep_for(150ms);
  this->store->renew({r}, "node-1", 5s);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(this->store->owner(s), std::nullopt);
  EXPECT_EQ(this->store->owner(r), "node-1");
  // After expiry another node finds no owner to take over from.
  EXPECT_EQ(this->store->acquire(s, "node-2", 5s), std::nullopt);
}

TYPED_TEST(LeaseStoreTest, ReleaseOnlyByTheHolder) {
  auto s = this->id("e");
  this->store->acquire(s, "node-1", 5s);
  this->store->acquire(s, "node-2", 5s);
  this->store->release(s, "node-1"); // too late: node-2 holds it
  EXPECT_EQ(this->store->owner(s), "node-2");
  this->store->release(s, "node-2");
  EXPECT_EQ(this->store->owner(s), std::nullopt);
}

TYPED_TEST(LeaseStoreTest, RenewHandlesMoreSessionsThanOneBatch) {
  ids many;
  for (int i = 0; i < 1200; ++i)
    many.push_back(this->id(("m" + std::to_string(i)).c_str()));
  this->store->acquire(many[1], "node-2", 5s);
  this->store->acquire(many[1100], "node-2", 5s);
  auto moved = this->store->renew(many, "node-1", 5s);
  EXPECT_EQ(moved, (ids{many[1], many[1100]}));
  EXPECT_EQ(this->store->owner(many[999]), "node-1");
  for (auto& s : many)
    this->store->release(s, "node-1");
}

namespace {

/// Take-over notices delivered to one subscriber (on the store's thread).
class notice_box {
public:
  std::function<void(const std::string&)> handler() {
    return [this](const std::string& id) {
      std::lock_guard<std::mutex> lock{mu_};
      got_.push_back(id);
      cv_.notify_all();
    };
  }
  /// Waits until `n` notices arrived; false after `timeout`.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock{mu_};
    return cv_.wait_for(lock, timeout, [&] { return got_.size() >= n; });
  }
  ids seen() {
    std::lock_guard<std::mutex> lock{mu_};
    return got_;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  ids got_;
};

} // namespace

TYPED_TEST(LeaseStoreTest, TakeOverNoticeReachesTheOldOwnerOnly) {
  // Node ids unique too: notices go to every subscriber of a node.
  auto n1 = this->id("node-1"), n2 = this->id("node-2");
  notice_box one, two;
  auto sub1 = this->store->subscribe(n1, one.handler());
  auto sub2 = this->store->subscribe(n2, two.handler());
  this->store->notify_taken(n1, this->id("a"));
  ASSERT_TRUE(one.wait_for(1, 5s));
  // Notices from one publisher arrive in order: had node 2 heard the first,
  // it would come before this one.
  this->store->notify_taken(n2, this->id("b"));
  ASSERT_TRUE(two.wait_for(1, 5s));
  EXPECT_EQ(one.seen(), ids{this->id("a")});
  EXPECT_EQ(two.seen(), ids{this->id("b")});
}

TYPED_TEST(LeaseStoreTest, EndedSubscriptionHearsNothing) {
  auto n1 = this->id("node-1");
  notice_box before, after;
  auto sub = this->store->subscribe(n1, before.handler());
  sub.reset();
  this->store->notify_taken(n1, this->id("a"));
  auto again = this->store->subscribe(n1, after.handler());
  this->store->notify_taken(n1, this->id("b"));
  ASSERT_TRUE(after.wait_for(1, 5s));
  EXPECT_EQ(after.seen(), ids{this->id("b")});
  EXPECT_EQ(before.seen(), ids{});
}

TEST(RedisLeaseStore, UnreachableRedisThrowsStoreError) {
  redis_lease_store store{"redis://127.0.0.1:1", 200ms};
  EXPECT_THROW(store.acquire("x", "node-1", 1s), store_error);
  EXPECT_THROW(store.renew({"x"}, "node-1", 1s), store_error);
  EXPECT_THROW(store.notify_taken("node-2", "x"), store_error);
  // Subscribing does not throw: the subscriber keeps retrying in the
  // background until it is destroyed (promptly).
  auto sub = store.subscribe("node-1", [](const std::string&) {});
  EXPECT_TRUE(sub);
}

TEST(RedisSubscriber, SubscribedOnlyWhileRedisAnswers) {
  redis_subscriber down{"redis://127.0.0.1:1", "tryon:test",
                        [](const std::string&) {}, 200ms};
  EXPECT_FALSE(down.subscribed());
  const char* url = std::getenv("TRYON_TEST_REDIS_URL");
  TRYON_REQUIRE_REAL_PART(url && *url,
                          "Redis (TRYON_TEST_REDIS_URL is not set)");
  redis_subscriber up{url, "tryon:test", [](const std::string&) {}};
  EXPECT_TRUE(up.subscribed());
}

TEST(MemoryLeaseStore, ExpiryFollowsTheInjectedClock) {
  auto now = std::chrono::steady_clock::time_point{};
  memory_lease_store store{[&] { return now; }};
  store.acquire("s", "node-1", 1000ms);
  now += 999ms;
  EXPECT_EQ(store.owner("s"), "node-1");
  now += 1ms;
  EXPECT_EQ(store.owner("s"), std::nullopt);
}
