# rt_embed(OUT_VAR dir...) generates one .cc file per embedded file plus an
# index, exposing rt::assets::Find(name). Names are "<dir basename>/<file>".
function(rt_embed out_var)
  set(gen_dir ${CMAKE_BINARY_DIR}/embedded)
  set(outputs ${gen_dir}/assets_index.cc)
  set(all_files)
  foreach(dir ${ARGN})
    file(GLOB_RECURSE files CONFIGURE_DEPENDS ${dir}/*)
    get_filename_component(base ${dir} NAME)
    foreach(f ${files})
      file(RELATIVE_PATH rel ${dir} ${f})
      list(APPEND all_files "${base}/${rel}=${f}")
    endforeach()
  endforeach()
  set(deps)
  foreach(entry ${all_files})
    string(REGEX REPLACE "=.*" "" name "${entry}")
    string(REGEX REPLACE "^[^=]*=" "" path "${entry}")
    list(APPEND deps ${path})
  endforeach()
  string(REPLACE ";" "|" joined "${all_files}")
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} "-DENTRIES=${joined}" -DOUT=${gen_dir}/assets_index.cc
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${deps} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding templates, static files and migrations"
    VERBATIM)
  set(${out_var} ${outputs} PARENT_SCOPE)
endfunction()
