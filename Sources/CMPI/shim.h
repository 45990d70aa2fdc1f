// Open MPI's C API for Swift (Debian's libopenmpi-dev; include and library paths from
// pkg-config's ompi-c). Its handles — MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ... — are macros over
// the addresses of global objects, which Swift cannot import, so they come through functions.
#include <mpi.h>

static inline MPI_Comm backprop_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype backprop_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype backprop_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype backprop_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op backprop_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op backprop_mpi_max(void) { return MPI_MAX; }
static inline MPI_Errhandler backprop_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline int backprop_mpi_success(void) { return MPI_SUCCESS; }
static inline int backprop_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline void *backprop_mpi_in_place(void) { return MPI_IN_PLACE; }
