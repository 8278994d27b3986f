#pragma once

#include <memory>
#include <optional>

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>

#include "net/rest/upload_sink.hpp"

namespace tryon::net {

/// A Beast body type whose reader streams each received chunk into an
/// upload_sink, so an upload is never held whole in memory.
struct multipart_body {
  /// The sink receiving the bytes.
  using value_type = std::shared_ptr<rest::upload_sink>;

  /// Feeds the parser's buffers to the sink.
  class reader {
  public:
    template <bool IsRequest, class Fields>
    reader(boost::beast::http::header<IsRequest, Fields>&, value_type& sink)
      : sink_(sink) {}

    void init(const boost::optional<std::uint64_t>&,
              boost::beast::error_code& ec) {
      ec = {};
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers,
                    boost::beast::error_code& ec) {
      std::size_t n = 0;
      for (auto b : boost::beast::buffers_range_ref(buffers)) {
        if (!sink_->feed({static_cast<const char*>(b.data()), b.size()})) {
          // Stop reading; the session answers with the sink's status.
          ec = boost::beast::http::error::bad_chunk;
          return n;
        }
        n += b.size();
      }
      ec = {};
      return n;
    }

    void finish(boost::beast::error_code& ec) {
      ec = {};
      sink_->finish();
    }

  private:
    value_type& sink_;
  };
};

} // namespace tryon::net
