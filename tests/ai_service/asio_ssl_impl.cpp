// Boost.Asio's SSL layer, compiled once (the build uses
// BOOST_ASIO_SEPARATE_COMPILATION; net/asio_impl.cpp holds the rest): for
// the one-shot https server of service_harness.hpp.
#include <boost/asio/ssl/impl/src.hpp>
