@echo off
rem Runs the Aviation Workflow site server with the Node that ships in this folder.
rem Every argument is passed on: --help lists them (--data-dir, --port, --new-enrollment-code, ...).
setlocal
set "AVIATION_WORKFLOW_COMMAND=%~dp0aviation-workflow-server.cmd"
"%~dp0..\node\node.exe" "%~dp0..\out\main\server.js" %*
