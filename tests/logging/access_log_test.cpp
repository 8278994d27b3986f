#include "net/access_log.hpp"

#include <gtest/gtest.h>

using tryon::net::loggable_path;
using tryon::net::route_of;

TEST(AccessLogTest, RoutesAreFixedNames) {
  EXPECT_EQ(route_of("/healthz"), "/healthz");
  EXPECT_EQ(route_of("/metrics"), "/metrics");
  EXPECT_EQ(route_of("/api/try-on/session/create/"),
            "/api/try-on/session/create/");
  EXPECT_EQ(route_of("/api/try-on/session/f47ac10b-58cc-4372-a567-"
                     "0e02b2c3d479/"),
            "/api/try-on/session/{id}/");
  EXPECT_EQ(route_of("/api/try-on/results/"), "/api/try-on/results/");
  EXPECT_EQ(route_of("/api/try-on/results/42/"), "/api/try-on/results/{id}/");
  EXPECT_EQ(route_of("/ws/try-on/abc/"), "/ws/try-on/{id}/");
  EXPECT_EQ(route_of("/media/results/x/1.jpg"), "/media/");
  EXPECT_EQ(route_of("/"), "static");
  EXPECT_EQ(route_of("/js/app.js"), "static");
  // Unknown API paths (scanners) share one label.
  EXPECT_EQ(route_of("/api/nope"), "other");
  EXPECT_EQ(route_of("/api/try-on/results/1/2/"), "other");
  EXPECT_EQ(route_of("-"), "other");
}

TEST(AccessLogTest, PathsLoseTheirQueryString) {
  EXPECT_EQ(loggable_path("/ws/try-on/x/?token=secret"), "/ws/try-on/x/");
  EXPECT_EQ(loggable_path("/a"), "/a");
  EXPECT_EQ(loggable_path(std::string(1000, 'a')).size(), 256u);
}
