#include "ai_service/capacity_board.hpp"

#include <algorithm>

#include "protocol/ai_message.hpp"

namespace tryon::ai {

std::size_t capacity_board::share(std::size_t total, std::size_t connections) {
  if (total == 0)
    return 0;
  connections = std::max<std::size_t>(connections, 1);
  return std::max<std::size_t>((total + connections - 1) / connections, 1);
}

void capacity_board::join(const std::shared_ptr<connection_port>& port) {
  if (total_ == 0 || !port)
    return;
  std::lock_guard<std::mutex> lock{mu_};
  members_.push_back({port.get(), port});
  // Everyone's share shrank (or stayed): the newcomer hears it either way.
  announce(share(total_, members_.size()) == announced_ ? port.get() : nullptr);
}

void capacity_board::leave(const connection_port* port) {
  if (total_ == 0)
    return;
  std::lock_guard<std::mutex> lock{mu_};
  auto it = std::find_if(members_.begin(), members_.end(),
                         [port](const member& m) { return m.key == port; });
  if (it == members_.end())
    return;
  members_.erase(it);
  if (!members_.empty() && share(total_, members_.size()) != announced_)
    announce(nullptr);
}

void capacity_board::announce(const connection_port* to) {
  auto frames = share(total_, members_.size());
  if (to == nullptr)
    announced_ = frames;
  auto text = protocol::ai_capacity_msg(frames);
  for (auto& m : members_) {
    if (to != nullptr && m.key != to)
      continue;
    // Sent on the connection's strand; the lambda keeps it alive.
    if (auto p = m.port.lock())
      p->dispatch([p, text] { p->send(text, false); });
  }
}

} // namespace tryon::ai
