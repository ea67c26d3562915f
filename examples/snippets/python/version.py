import callwire

print(callwire.__version__, callwire.c_library_version())   # 0.1.0 0.1.0
