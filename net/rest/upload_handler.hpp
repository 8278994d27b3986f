#pragma once

#include "net/rest/rest_context.hpp"
#include "net/rest/upload_sink.hpp"

namespace tryon::net::rest {

/// POST /api/try-on/upload/ once the body has been streamed into `sink`
/// (null when the request was not multipart): authenticates, validates the
/// type and the bytes, moves the file into place and records it.
http_response finish_upload(rest_context& ctx, const http_request& req,
                            upload_sink* sink);

} // namespace tryon::net::rest
