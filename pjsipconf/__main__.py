from pjsipconf.cli import main

main()
