// Boost.Asio's SSL layer, compiled once for the harness (the build uses
// BOOST_ASIO_SEPARATE_COMPILATION; net/asio_impl.cpp holds the rest).
#include <boost/asio/ssl/impl/src.hpp>
