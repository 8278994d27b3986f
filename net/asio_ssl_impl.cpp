// Boost.Asio's SSL layer, compiled once (BOOST_ASIO_SEPARATE_COMPILATION;
// net/asio_impl.cpp holds the rest): for every https/wss client and the
// tests' one-shot https servers.
#include <boost/asio/ssl/impl/src.hpp>
