#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/ports.hpp"

namespace tryon::testing {

/// An ai_channel driven by the test: it records what the link sends and
/// lets the test raise the transport events. Single-threaded (the tests run
/// the link under CAF's test coordinator).
class fake_ai_channel : public actors::ai_channel {
public:
  /// Takes the link's event callbacks.
  explicit fake_ai_channel(actors::ai_events ev) : events(std::move(ev)) {}

  void connect() override { ++connects; }

  bool send_text(std::string text) override {
    if (!open || refuse)
      return false;
    texts.push_back(std::move(text));
    return true;
  }

  bool send_binary(std::shared_ptr<const std::string> message) override {
    if (!open || refuse)
      return false;
    binaries.push_back(std::move(message));
    return true;
  }

  void shutdown() override {
    stopped = true;
    open = false;
  }

  /// Completes a handshake.
  void raise_open() {
    open = true;
    events.on_open();
  }

  /// Loses the connection (or fails a connect attempt).
  void raise_down(const std::string& reason = "test") {
    open = false;
    events.on_down(reason);
  }

  /// A text message from the AI service.
  void raise_text(const std::string& text) { events.on_text(text); }

  /// A binary message from the AI service.
  void raise_binary(std::string message) {
    events.on_binary(std::make_shared<const std::string>(std::move(message)));
  }

  actors::ai_events events;
  int connects = 0;
  bool open = false;
  bool refuse = false; ///< simulate a full queue
  bool stopped = false;
  std::vector<std::string> texts;
  std::vector<std::shared_ptr<const std::string>> binaries;
};

/// Makes fake channels and keeps them for the test to drive.
struct fake_ai_channels {
  /// Every channel made, in creation order (= channel index).
  std::vector<std::shared_ptr<fake_ai_channel>> made;
  /// The URL the link asked for.
  std::string url;

  /// A factory handing out fakes recorded in `made`.
  actors::ai_channel_factory factory() {
    return [this](const std::string& u, actors::ai_events ev) {
      url = u;
      made.push_back(std::make_shared<fake_ai_channel>(std::move(ev)));
      return made.back();
    };
  }
};

} // namespace tryon::testing
